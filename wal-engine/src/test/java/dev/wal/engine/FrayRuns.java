package dev.wal.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Random;
import java.util.SplittableRandom;
import kotlin.Unit;
import org.pastalab.fray.core.TestRunner;
import org.pastalab.fray.core.command.Configuration;
import org.pastalab.fray.core.command.ExecutionInfo;
import org.pastalab.fray.core.command.LambdaExecutor;
import org.pastalab.fray.core.command.NetworkDelegateType;
import org.pastalab.fray.core.command.SystemTimeDelegateType;
import org.pastalab.fray.core.randomness.ControlledRandom;
import org.pastalab.fray.core.randomness.RandomnessProvider;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.Common;
import org.pastalab.fray.rmi.TestStatusObserver;

/**
 * Runs a scenario under Fray's controlled scheduler (partial order sampling), once per schedule,
 * each schedule from its own seed: the seed chooses the scenario's workload and every scheduling
 * decision Fray makes, so the same seed explores the same schedules in the same order.
 *
 * <p>Fray decides which thread runs at every synchronization point (locks, conditions, parking,
 * monitors, thread start and join), so the interleaving replays from the seed too, not only the
 * workload. A schedule in which every thread blocks is reported as a deadlock. Elsewhere than on
 * Fray's instrumented JDK, a scenario is skipped (an assumption), and says why.
 *
 * <p>The schedules derive from {@code wal.tests.seed} (random when unset); their number is
 * {@value #SCHEDULES_PROPERTY} (default {@value #DEFAULT_SCHEDULES} per scenario).
 */
final class FrayRuns {
  /** The system property that sets how many schedules each scenario explores. */
  static final String SCHEDULES_PROPERTY = "wal.fray.schedules";

  static final int DEFAULT_SCHEDULES = 150;

  /** Fray's limit for one schedule, in seconds: far beyond what one takes (tens of ms). */
  private static final int SCHEDULE_TIMEOUT_SECONDS = 120;

  /**
   * The most scheduling steps one schedule may take before Fray reports a livelock: a schedule of
   * these scenarios takes a few thousand.
   */
  private static final int MAX_STEPS = 100_000;

  private FrayRuns() {}

  /** A scenario, run once per schedule; it draws its workload from {@code workload}. */
  interface Scenario {
    void run(SplittableRandom workload) throws Exception;
  }

  /**
   * {@return whether this JVM is Fray's instrumented JDK} Only there can Fray control threads;
   * elsewhere a Fray test is skipped.
   */
  static boolean enabled() {
    Path release = Path.of(System.getProperty("java.home"), "release");
    try {
      return Files.exists(release)
          && Files.readString(release, StandardCharsets.UTF_8).contains("IMPLEMENTOR=Fray");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@return how many schedules each scenario explores} */
  static int schedules() {
    String value = System.getProperty(SCHEDULES_PROPERTY, "").strip();
    if (value.isEmpty()) {
      return DEFAULT_SCHEDULES;
    }
    int schedules = Integer.parseInt(value);
    if (schedules < 1) {
      throw new IllegalArgumentException(SCHEDULES_PROPERTY + " (" + value + ") must be positive");
    }
    return schedules;
  }

  /**
   * Explores {@link #schedules()} schedules of {@code scenario}, stopping at the first failure,
   * which it reports with the seed and the command that replays it.
   *
   * @param testClass the test class, for the replay command
   * @param name the scenario's name, which also separates its schedules from other scenarios'
   */
  static void explore(Class<?> testClass, String name, Scenario scenario) {
    assumeTrue(
        enabled(),
        "Fray controls threads only on its instrumented JDK, which the fray profile of wal-engine"
            + " prepares where a JDK 25 is installed (see wal-engine's README)");
    long seed = TestSeed.seed();
    SplittableRandom scheduleSeeds = new SplittableRandom(seed ^ name.hashCode());
    int schedules = schedules();
    for (int i = 0; i < schedules; i++) {
      long scheduleSeed = scheduleSeeds.nextLong();
      try {
        runSchedule(scenario, scheduleSeed);
      } catch (Throwable e) {
        throw new AssertionError(
            "scenario " + name + " failed at schedule " + i + " (its own seed " + scheduleSeed
                + ") of seed " + seed + ": " + e + "\n  reproduce with: "
                + TestSeed.reproduceLine(testClass, seed) + " -Pfray\n  Fray's report is in "
                + System.getProperty("fray.workDir"),
            e);
      }
    }
  }

  private static void runSchedule(Scenario scenario, long scheduleSeed) throws Throwable {
    SplittableRandom workload = new SplittableRandom(scheduleSeed);
    RandomnessProvider choices =
        () -> new ControlledRandom(new ArrayList<>(), new ArrayList<>(), new Random(scheduleSeed));
    Throwable[] failure = new Throwable[1];
    LambdaExecutor body =
        new LambdaExecutor(
            () -> {
              try {
                scenario.run(workload);
              } catch (Throwable e) {
                failure[0] = e;
                throw new AssertionError("the scenario failed", e);
              }
              return Unit.INSTANCE;
            });
    Configuration configuration = configuration(body, choices);
    ErrorRecorder errors = new ErrorRecorder();
    configuration.getTestStatusObservers().add(errors);
    Throwable thrown = new TestRunner(configuration).run();
    if (failure[0] != null) {
      throw failure[0];
    }
    if (errors.first != null) {
      throw errors.first; // a deadlock, or a livelock past MAX_STEPS (which Fray calls one too)
    }
    if (thrown != null) {
      throw thrown;
    }
  }

  /** Keeps the first error Fray reports: a deadlock is reported, not thrown to the runner. */
  private static final class ErrorRecorder implements TestStatusObserver {
    volatile Throwable first;

    @Override
    public void onExecutionStart() {}

    @Override
    public void onReportError(Throwable error) {
      if (first == null) {
        first = error;
      }
    }

    @Override
    public void onExecutionDone(Throwable error) {}

    @Override
    public void saveToReportFolder(Path folder) {}
  }

  /**
   * Fray's configuration for one schedule: what its JUnit launcher sets (timed waits end only when
   * every other thread blocks, sleeps yield), plus the bound on steps, so that a livelock (the
   * background flusher polling while a lost wakeup leaves a waiter parked) fails instead of
   * running on, and mocked time, so that the clock does not make schedules differ.
   */
  private static Configuration configuration(LambdaExecutor body, RandomnessProvider choices) {
    return new Configuration(
        new ExecutionInfo(body, false, false, MAX_STEPS),
        Common.INSTANCE.getWORK_DIR(),
        1, // iterations: one launch per schedule, so that each has its own seed
        SCHEDULE_TIMEOUT_SECONDS,
        new POSScheduler(choices.getRandomness()),
        choices,
        true, // fullSchedule
        false, // exploreMode
        true, // noExitWhenBugFound
        false, // isReplay
        false, // noFray
        false, // dummyRun
        NetworkDelegateType.PROACTIVE,
        SystemTimeDelegateType.MOCK,
        100_000L, // virtualTimeDelta, Fray's default
        true, // ignoreTimedBlock
        true, // sleepAsYield
        true, // resetClassLoader
        false, // redirectStdout
        false, // abortThreadExecutionAfterMainExit
        false, // resolveRacingOperationStackTraceHash
        null); // no timeline coverage
  }
}
