package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.OutOfSpaceException;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A disk that fills up mid-workload (a quota, with partial or all-or-nothing writes): the error
 * reaches the caller, and nothing acknowledged is lost, neither on the full storage nor after a
 * power loss, nor once space is freed.
 */
class OutOfSpaceTest {
  static final int ROUNDS = 24;
  static final int STEPS = 200;

  @Test
  void aFullDiskFailsTheCallerAndLosesNothingAcknowledged() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long[] counts = new long[3]; // crash states, out-of-space errors, reopens refused for space
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < ROUNDS; round++) {
        round(random.split(), counts);
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, OutOfSpaceTest.class, seed);
    }
    CrashCounts.print("OutOfSpaceTest (" + counts[2] + " reopens on the full disk refused)",
        counts[0], counts[1], (System.nanoTime() - started) / 1_000_000);
    assertThat(counts[1]).isGreaterThanOrEqualTo(ROUNDS / 4);
  }

  static void round(SplittableRandom random, long[] counts) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    long quota = config.segmentBytes() * 2 + random.nextLong(config.segmentBytes() * 2);
    boolean partial = random.nextBoolean();
    long workloadSeed = random.nextLong();
    String context = "quota " + quota + (partial ? " (partial writes)" : " (all or nothing)")
        + ", workload " + workloadSeed + " with " + config;
    FaultyVfs vfs = CrashHarness.faulty(
        FaultConfig.builder().seed(random.nextLong()).quota(quota, partial));
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      IOException failure = null;
      for (int run = 0; run < 4 && failure == null; run++) {
        long runSeed = workloadSeed + run;
        failure = CrashHarness.bounded(
            () -> Workloads.sequential(vfs, config, oracle, runSeed, STEPS), context);
      }
      if (failure == null) {
        return; // the workloads fitted (truncateBefore freed enough)
      }
      CrashHarness.assertInjected(failure, context);
      assertThat(causedBy(failure, OutOfSpaceException.class)).as(context + ": " + failure)
          .isTrue();
      CrashCounts.IO_ERRORS.incrementAndGet();
      counts[1]++;
      DurabilityOracle.Promise promise = oracle.promise();
      CrashHarness.checkImage(vfs.crash(CrashHarness.crashOptions(random), CrashHarness.target()),
          config, oracle, promise, context + ", power loss on the full disk");
      CrashHarness.checkImage(vfs.crash(CrashOptions.processCrash().imageConfig(
          FaultConfig.none()), CrashHarness.target()), config, oracle, promise,
          context + ", reopened once space was freed");
      counts[0] += 2;
      reopenOnTheFullDisk(vfs, config, oracle, context, counts);
    } finally {
      CrashHarness.release(vfs);
    }
  }

  /**
   * Reopens on the still-full storage: after a failure, opening copies the newest segment's
   * records into a new file (having freed the spare and the segment's zeros), which may need more
   * space than is left; then opening must fail with the out-of-space error.
   */
  private static void reopenOnTheFullDisk(FaultyVfs vfs, WalConfig config,
      DurabilityOracle oracle, String context, long[] counts) throws Exception {
    CrashHarness.bounded(() -> {
      try (WriteAheadLog log = LogDriver.openChecked(vfs, config, oracle,
          context + ", reopened on the full disk")) {
        assertThat(log.lastLsn()).isGreaterThanOrEqualTo(oracle.promise().durableLsn());
      } catch (IOException e) {
        if (!causedBy(e, OutOfSpaceException.class)) {
          throw new AssertionError(context + ": reopening on the full disk failed", e);
        }
        counts[2]++;
      }
      return null;
    }, context);
  }

  static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (causedBy(suppressed, type)) {
          return true;
        }
      }
    }
    return false;
  }
}
