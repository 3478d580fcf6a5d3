package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Crashes workloads of several threads (appends of every kind, atomic batches included, waits,
 * flushes, truncateBefore while they run; truncateAfter, reset or reopen between phases) at random
 * points, recovers the log on each crash image and checks it against what was acknowledged before
 * the crash.
 *
 * <p>The operations replay from the seed; the interleaving of threads does not, so a failing seed
 * replays the workload, not necessarily the same crash state (the failure message has the trace).
 */
class ConcurrentCrashTest {
  static final int ROUNDS = 20;
  static final int THREADS = 4;
  static final int PHASES = 4;
  static final int STEPS = 25;

  @Test
  void crashImagesTakenWhileThreadsAppendKeepEveryAcknowledgedRecord() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long states = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < ROUNDS; round++) {
        states += imagesDuringRun(random.split(), THREADS, PHASES, STEPS, 25);
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, ConcurrentCrashTest.class, seed);
    }
    CrashCounts.print(ConcurrentCrashTest.class, " (images while running)", states, 0,
        (System.nanoTime() - started) / 1_000_000);
    assertThat(states).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aCrashAtARandomOperationOfAConcurrentWorkloadKeepsEveryAcknowledgedRecord()
      throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long states = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < 4 * ROUNDS; round++) {
        states += crashAtRandomOperation(random.split(), THREADS, PHASES, STEPS);
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, ConcurrentCrashTest.class, seed);
    }
    CrashCounts.print(ConcurrentCrashTest.class, " (crash at a random operation)", states, 0,
        (System.nanoTime() - started) / 1_000_000);
    assertThat(states).isGreaterThan(ROUNDS);
  }

  /** A crash image taken while the threads ran, with what it must keep. */
  private record Taken(FaultyVfs image, DurabilityOracle.Promise promise, long operation) {}

  /**
   * Runs a concurrent workload, taking a crash image after about one in {@code every} operations
   * of its phases (the live storage goes on), and checks each image when its phase ends.
   * {@return the crash states checked}
   */
  static long imagesDuringRun(SplittableRandom random, int threads, int phases, int steps,
      int every) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    long workloadSeed = random.nextLong();
    SplittableRandom crashes = random.split();
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder().seed(random.nextLong()));
    String context = "concurrent workload " + workloadSeed + " with " + config;
    DurabilityOracle oracle = new DurabilityOracle();
    ConcurrentLinkedQueue<Taken> taken = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    long[] checked = {0};
    AtomicBoolean armed = new AtomicBoolean();
    boolean[] taking = {false}; // the handler runs under the storage's lock, one call at a time
    vfs.setOperationHandler(event -> {
      if (!armed.get() || taking[0] || crashes.nextInt(every) != 0) {
        return;
      }
      taking[0] = true;
      try {
        // Every acknowledgement the oracle holds now came after its flush finished, and so
        // before this operation: the image must keep it.
        DurabilityOracle.Promise promise = oracle.promise();
        FaultyVfs image = vfs.crash(CrashHarness.crashOptions(crashes), CrashHarness.target());
        taken.add(new Taken(image, promise, event.index()));
      } catch (IOException | RuntimeException e) {
        failures.add(e);
      } finally {
        taking[0] = false;
      }
    });
    try {
      IOException failure = CrashHarness.bounded(() -> Workloads.concurrent(vfs, config, oracle,
          workloadSeed, phases, threads, steps, new Workloads.PhaseListener() {
            @Override
            public void onPhaseStart() {
              armed.set(true);
            }

            @Override
            public void onPhaseEnd() throws Exception {
              armed.set(false);
              // The handler runs under the storage's lock: a background thread's operation may
              // be taking an image right now. This mark waits for it (and takes none), so that
              // no image of this phase is left to be checked after the step between phases.
              vfs.mark("phase end");
              for (Taken t; (t = taken.poll()) != null; ) {
                CrashHarness.checkImage(t.image(), config, oracle, t.promise(),
                    context + ", crash image after operation " + t.operation());
                checked[0]++;
              }
            }
          }), context);
      if (failure != null) {
        throw new AssertionError(context + ": failed with no fault injected", failure);
      }
      for (Throwable e : failures) {
        throw new AssertionError(context + ": taking a crash image failed", e);
      }
      return checked[0];
    } finally {
      for (Taken t; (t = taken.poll()) != null; ) {
        CrashHarness.release(t.image());
      }
      CrashHarness.release(vfs);
    }
  }

  /** Runs a concurrent workload with a crash armed after a random operation. */
  static long crashAtRandomOperation(SplittableRandom random, int threads, int phases, int steps)
      throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    long workloadSeed = random.nextLong();
    long k = 1 + random.nextInt(threads * phases * steps);
    String context = "crash after operation " + k + " of concurrent workload " + workloadSeed
        + " with " + config;
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder().seed(random.nextLong()));
    try {
      CrashOptions options = CrashHarness.crashOptions(random);
      CrashPoint point = vfs.crashAfter(k, options, CrashHarness.target());
      DurabilityOracle oracle = new DurabilityOracle();
      IOException failure = CrashHarness.bounded(() -> Workloads.concurrent(vfs, config, oracle,
          workloadSeed, phases, threads, steps, new Workloads.PhaseListener() {
            @Override
            public void onPhaseStart() {}

            @Override
            public void onPhaseEnd() {}
          }), context);
      if (failure != null) {
        CrashHarness.assertInjected(failure, context);
      }
      Optional<FaultyVfs> image = point.image();
      if (image.isEmpty()) {
        return 0;
      }
      CrashHarness.checkImage(image.get(), config, oracle, oracle.promise(), context);
      return 1;
    } finally {
      CrashHarness.release(vfs);
    }
  }
}
