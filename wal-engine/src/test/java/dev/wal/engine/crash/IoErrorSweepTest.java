package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * SQLite-style I/O error sweeps: fail the 1st, 2nd, ... I/O operation of a workload (before it
 * happens, or after it happened with the caller told it failed; once, or from then on) until a
 * run completes without meeting the fault. Each failure must reach the caller, and reopening must
 * recover every acknowledged record, also after a power loss that follows the reopen.
 */
class IoErrorSweepTest {
  static final int WORKLOADS = 3;
  static final int STEPS = 25;

  /** How a sweep's rule fails the N-th operation. */
  enum Style {
    BEFORE_ONCE,
    AFTER_ONCE,
    PERSISTENT
  }

  @Test
  void everyInjectedIoErrorReachesTheCallerAndReopeningRecoversEveryAcknowledgedRecord()
      throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long errors = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int w = 0; w < WORKLOADS; w++) {
        SplittableRandom workload = random.split();
        for (Style style : Style.values()) {
          errors += sweep(workload.split(), STEPS, style, FlushFailureMode.values()[w % 3]);
        }
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, IoErrorSweepTest.class, seed);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    CrashCounts.print(IoErrorSweepTest.class, "", errors, errors, millis);
    assertThat(errors).isGreaterThanOrEqualTo(500);
  }

  static OpKind[] allOperations() {
    return Arrays.stream(OpKind.values()).filter(k -> k != OpKind.MARK).toArray(OpKind[]::new);
  }

  /** Fails operation 1, 2, ... until a run meets no fault. {@return the faults injected} */
  static long sweep(SplittableRandom random, int steps, Style style, FlushFailureMode mode)
      throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    long workloadSeed = random.nextLong();
    long faultSeed = random.nextLong();
    OpKind[] kinds = allOperations();
    for (long n = 1; n < 100_000; n++) {
      FaultRule rule = FaultRule.failOn(kinds[0], Arrays.copyOfRange(kinds, 1, kinds.length))
          .onCall(n);
      rule = switch (style) {
        case BEFORE_ONCE -> rule;
        case AFTER_ONCE -> rule.afterOperation();
        case PERSISTENT -> rule.persistent();
      };
      String context = "fault " + rule + " (" + mode + ") in workload " + workloadSeed + " with "
          + config;
      FaultConfig.Builder faults =
          FaultConfig.builder().seed(faultSeed).flushFailureMode(mode).rule(rule);
      boolean struck = failAndRecover(faults, style == Style.PERSISTENT, config,
          (vfs, oracle) -> Workloads.sequential(vfs, config, oracle, workloadSeed, steps), context);
      if (!struck) {
        return n - 1;
      }
    }
    throw new AssertionError("the workload never ran without meeting the fault");
  }

  /** A workload on a faulty storage, returning its first I/O error or null. */
  interface Run {
    IOException run(FaultyVfs vfs, DurabilityOracle oracle) throws Exception;
  }

  /**
   * Runs a workload on a storage with these faults; if one struck, checks that a caller heard of
   * it and that the log recovers (see {@link #recover}). {@return whether a fault struck}
   */
  static boolean failAndRecover(FaultConfig.Builder faults, boolean persistent, WalConfig config,
      Run workload, String context) throws Exception {
    FaultyVfs vfs = CrashHarness.faulty(faults);
    try {
      AtomicLong struck = new AtomicLong();
      vfs.setOperationHandler(event -> {
        if (event.injected()) {
          struck.compareAndSet(0, event.index());
        }
      });
      DurabilityOracle oracle = new DurabilityOracle();
      IOException failure = CrashHarness.bounded(() -> workload.run(vfs, oracle), context);
      if (struck.get() == 0) {
        if (failure != null) {
          throw new AssertionError(context + ": failed with no fault injected", failure);
        }
        return false;
      }
      CrashCounts.IO_ERRORS.incrementAndGet();
      if (failure == null) {
        throw new AssertionError(context + ": the fault struck operation #" + struck.get()
            + " but no call of the workload failed: the error was swallowed\n"
            + CrashHarness.tail(vfs));
      }
      CrashHarness.assertInjected(failure, context);
      recover(vfs, vfs.isHalted() || persistent, config, oracle, context);
      return true;
    } finally {
      CrashHarness.release(vfs);
    }
  }

  /**
   * Reopens the log where the failed process left it (on the same storage when the fault fired
   * once; on what a process crash leaves when the storage keeps failing or halted, as in {@link
   * FlushFailureMode#FAIL_STOP}) and checks it, then checks what a power loss after that reopen
   * leaves.
   */
  private static void recover(FaultyVfs vfs, boolean stillFailing, WalConfig config,
      DurabilityOracle oracle, String context) throws Exception {
    FaultyVfs storage = stillFailing
        ? vfs.crash(CrashOptions.processCrash(), CrashHarness.target())
        : vfs;
    try {
      CrashHarness.bounded(() -> {
        try (WriteAheadLog log = LogDriver.openChecked(storage, config, oracle,
            context + ", reopened")) {
          DurabilityOracle.Append append = oracle.next(40);
          long lsn = log.append(append.payload(), append.tag());
          oracle.appended(append, lsn);
          oracle.durableThrough(lsn);
        }
        return null;
      }, context);
      DurabilityOracle.Promise promise = oracle.promise();
      FaultyVfs image = storage.crash(CrashOptions.powerLoss(), CrashHarness.target());
      CrashHarness.checkImage(image, config, oracle, promise,
          context + ", power loss after the reopen");
    } finally {
      if (storage != vfs) {
        CrashHarness.release(storage);
      }
    }
  }
}
