package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Crashes the log again while it recovers from a crash: after each I/O operation of opening the
 * crash image (the check, the torn tail's repair, the rewrite of the newest segment, the rename)
 * and of the appends that follow, a second power loss; the log recovered from that must still
 * hold everything acknowledged before the first crash and after the reopen.
 */
class RecoveryCrashTest {
  static final int FIRST_CRASHES = 10;
  static final int APPENDS_AFTER = 3;

  @Test
  void aCrashWhileRecoveringFromACrashKeepsEveryAcknowledgedRecord() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long states = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < FIRST_CRASHES; i++) {
        states += crashDuringRecovery(random.split());
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, RecoveryCrashTest.class, seed);
    }
    CrashCounts.print(RecoveryCrashTest.class, "", states, 0,
        (System.nanoTime() - started) / 1_000_000);
    assertThat(states).isGreaterThanOrEqualTo(FIRST_CRASHES * 10L);
  }

  /** {@return the crash states checked: one per operation of the recovery and appends after} */
  static long crashDuringRecovery(SplittableRandom random) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    long workloadSeed = random.nextLong();
    int steps = 20 + random.nextInt(40);
    long k = 1 + random.nextInt(steps * 2);
    String context = "crash after operation " + k + " of workload " + workloadSeed + " with "
        + config;
    DurabilityOracle oracle = new DurabilityOracle();
    FaultyVfs first;
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder().seed(random.nextLong()));
    try {
      CrashPoint point = vfs.crashAfter(k, CrashHarness.crashOptions(random),
          CrashHarness.target());
      IOException failure = CrashHarness.bounded(
          () -> Workloads.sequential(vfs, config, oracle, workloadSeed, steps), context);
      if (failure != null) {
        CrashHarness.assertInjected(failure, context);
      }
      Optional<FaultyVfs> image = point.image();
      if (image.isEmpty()) {
        return 0;
      }
      first = image.get();
    } finally {
      CrashHarness.release(vfs);
    }
    try {
      long states = 0;
      for (long j = 1; j < 10_000; j++) {
        if (!crashRecoveryAfter(j, first, config, oracle, random, context)) {
          return states;
        }
        states++;
      }
      throw new AssertionError(context + ": recovery never finished");
    } finally {
      CrashHarness.release(first);
    }
  }

  /** {@return whether the second crash happened before the recovery and appends finished} */
  private static boolean crashRecoveryAfter(long j, FaultyVfs first, WalConfig config,
      DurabilityOracle oracle, SplittableRandom random, String context) throws Exception {
    String again = context + ", then again after operation " + j + " of the recovery";
    FaultyVfs copy = first.crash(CrashOptions.processCrash(), CrashHarness.target());
    try {
      CrashPoint point = copy.crashAfter(j, CrashHarness.crashOptions(random),
          CrashHarness.target());
      DurabilityOracle branch = oracle.copy();
      IOException failure = CrashHarness.bounded(() -> {
        try (WriteAheadLog log = LogDriver.openChecked(copy, config, branch, again)) {
          for (int i = 0; i < APPENDS_AFTER; i++) {
            DurabilityOracle.Append append = branch.next(CrashPayload.MIN_BYTES + 100);
            long lsn = log.append(append.payload(), append.tag());
            branch.appended(append, lsn);
            branch.durableThrough(lsn);
          }
          return null;
        } catch (IOException e) {
          return e;
        }
      }, again);
      if (failure != null) {
        CrashHarness.assertInjected(failure, again);
      }
      Optional<FaultyVfs> image = point.image();
      if (image.isEmpty()) {
        return false;
      }
      CrashHarness.checkImage(image.get(), config, branch, branch.promise(), again);
      return true;
    } finally {
      CrashHarness.release(copy);
    }
  }
}
