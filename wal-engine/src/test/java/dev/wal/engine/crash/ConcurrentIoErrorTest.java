package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.testkit.TestSeed;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * I/O errors at random operations while several threads append, wait, flush and truncate (the
 * error may strike the background flusher or the spare's preparation as well as a caller): it
 * reaches a caller, no thread hangs, and reopening recovers every acknowledged record.
 */
class ConcurrentIoErrorTest {
  static final int ROUNDS = 80;

  @Test
  void anIoErrorWhileThreadsAppendReachesACallerAndReopeningRecoversEverything() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long errors = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < ROUNDS; round++) {
        errors += round(random.split()) ? 1 : 0;
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, ConcurrentIoErrorTest.class, seed);
    }
    CrashCounts.print(ConcurrentIoErrorTest.class, "", errors, errors,
        (System.nanoTime() - started) / 1_000_000);
    assertThat(errors).isGreaterThanOrEqualTo(ROUNDS / 4);
  }

  /** {@return whether the fault struck} */
  static boolean round(SplittableRandom random) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    OpKind[] kinds = IoErrorSweepTest.allOperations();
    FaultRule rule = FaultRule.failOn(kinds[0], Arrays.copyOfRange(kinds, 1, kinds.length))
        .withProbability(0.002 + random.nextDouble(0.01));
    boolean persistent = random.nextInt(3) == 0;
    rule = persistent ? rule.persistent() : random.nextBoolean() ? rule.afterOperation() : rule;
    FlushFailureMode mode = FlushFailureMode.values()[random.nextInt(3)];
    long workloadSeed = random.nextLong();
    String context = "fault " + rule + " (" + mode + ") in concurrent workload " + workloadSeed
        + " with " + config;
    FaultConfig.Builder faults =
        FaultConfig.builder().seed(random.nextLong()).flushFailureMode(mode).rule(rule);
    Workloads.PhaseListener none = new Workloads.PhaseListener() {
      @Override
      public void onPhaseStart() {}

      @Override
      public void onPhaseEnd() {}
    };
    return IoErrorSweepTest.failAndRecover(faults, persistent, config,
        (vfs, oracle) -> Workloads.concurrent(vfs, config, oracle, workloadSeed, 3, 3, 20, none),
        context);
  }
}
