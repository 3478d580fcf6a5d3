package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Under Linux's fsync-failure behaviour (a failed flush leaves its data readable but never
 * durable, and the next flush reports success), nothing a failed flush covered is ever reported
 * durable: a power loss that keeps exactly what was flushed still holds every acknowledged record,
 * after the failure and after each reopen that follows it.
 */
class LinuxFsyncFailureTest {
  static final int ROUNDS = 10;
  static final int FAILURES_PER_ROUND = 3;

  @Test
  void nothingAFailedFlushCoveredIsReportedDurableBeforeOrAfterAReopen() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long[] counts = new long[2];
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < ROUNDS; round++) {
        round(random.split(), counts);
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, LinuxFsyncFailureTest.class, seed);
    }
    CrashCounts.print(LinuxFsyncFailureTest.class, "", counts[0], counts[1],
        (System.nanoTime() - started) / 1_000_000);
    // Without failed flushes this test would prove nothing: most rules must strike a segment.
    assertThat(counts[1]).isGreaterThanOrEqualTo(ROUNDS * FAILURES_PER_ROUND / 2);
  }

  static void round(SplittableRandom random, long[] counts) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder()
        .seed(random.nextLong())
        .flushFailureMode(FlushFailureMode.LINUX));
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      AtomicLong struck = new AtomicLong();
      vfs.setOperationHandler(event -> {
        if (event.injected()) {
          struck.incrementAndGet();
        }
      });
      for (int f = 0; f < FAILURES_PER_ROUND; f++) {
        long workloadSeed = random.nextLong();
        String context = "failure " + (f + 1) + " of a round of workloads from " + workloadSeed
            + " with " + config + " under Linux's fsync-failure model";
        vfs.addRule(FaultRule.failOn(OpKind.FLUSH).files("0*.wal").onCall(1 + random.nextInt(8)));
        struck.set(0);
        // Opens the log where the last failure left it (checked against the oracle) and runs.
        IOException failure = CrashHarness.bounded(() -> Workloads.concurrent(vfs, config, oracle,
            workloadSeed, 2, 3, 20, new Workloads.PhaseListener() {
              @Override
              public void onPhaseStart() {}

              @Override
              public void onPhaseEnd() {}
            }), context);
        if (struck.get() > 0 && failure == null) {
          throw new AssertionError(context + ": a flush failed but no caller heard of it\n"
              + CrashHarness.tail(vfs));
        }
        if (failure != null) {
          CrashHarness.assertInjected(failure, context);
          CrashCounts.IO_ERRORS.incrementAndGet();
          counts[1]++;
        }
        DurabilityOracle.Promise promise = oracle.promise();
        CrashHarness.checkImage(
            vfs.crash(CrashOptions.powerLoss().unflushed(CrashOptions.Unflushed.NONE, 0),
                CrashHarness.target()),
            config, oracle, promise, context + ", power loss keeping only what was flushed");
        CrashHarness.checkImage(vfs.crash(CrashHarness.crashOptions(random), CrashHarness.target()),
            config, oracle, promise, context + ", power loss");
        counts[0] += 2;
      }
    } finally {
      CrashHarness.release(vfs);
    }
  }
}
