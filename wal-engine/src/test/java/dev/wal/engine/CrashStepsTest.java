package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.LogEntry;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A power loss after every storage operation of a reset, a truncateBefore inside a segment, a
 * batch append and a truncateAfter inside a batch (on the fault-injecting backend, which drops or
 * tears what was not flushed): the recovered log is always the state before the call or the state
 * after it, never a mix, and the state after it once the call returned.
 */
class CrashStepsTest {
  private static final AtomicLong NAMES = new AtomicLong();
  private static final int RECORDS = 300;
  private static final int MAX_STEPS = 400;

  private static WalConfig config() {
    return WalConfig.builder()
        .segmentBytes(32 << 10)
        .bufferBytes(8 << 10)
        .maxRecordBytes(16 << 10)
        .flushInterval(Duration.ofMinutes(1))
        .build();
  }

  private interface Step {
    void run(WriteAheadLog log) throws IOException;
  }

  private interface Check {
    void check(WriteAheadLog recovered, boolean stepReturned) throws IOException;
  }

  private static String freshName(String what) {
    return "memory:crash-steps-" + what + "-" + ProcessHandle.current().pid() + "-"
        + NAMES.incrementAndGet();
  }

  /**
   * Crashes after the 1st, 2nd, ... storage operation from the start of {@code step}, up to the
   * count of operations that the step and the log's close take, checking each recovered log. No
   * background thread works while the count starts (the spare's preparation is awaited, the
   * flusher has nothing to do), and the step does the same operations every run, so every crash
   * point is reached: a sweep that explored fewer states than it counted fails.
   *
   * @return the number of crash states checked
   */
  private static int sweep(Step step, Check check) throws Exception {
    long seed = TestSeed.seed();
    try {
      long operations = crashOnce(step, check, Long.MAX_VALUE / 2, seed);
      assertThat(operations).isBetween(1L, (long) MAX_STEPS);
      int states = 0;
      for (int k = 1; k <= operations; k++) {
        assertThat(crashOnce(step, check, k, seed + k))
            .as("the crash after operation %d of %d happened", k, operations)
            .isEqualTo(-1);
        states++;
      }
      return states;
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, CrashStepsTest.class, seed);
    }
  }

  /**
   * {@return -1 if the crash happened (and the recovered log passed the check), otherwise the
   * number of operations the step and the close took}
   */
  private static long crashOnce(Step step, Check check, long k, long seed) throws IOException {
    FaultConfig faults = FaultConfig.builder().seed(seed).build();
    Optional<FaultyVfs> image;
    boolean returned = false;
    long operations;
    Vfs target = Vfs.open(freshName("img"));
    try (FaultyVfs vfs = FaultyVfs.open(freshName("log"), faults)) {
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      for (long lsn = 1; lsn <= RECORDS; lsn++) {
        log.appendNoWait(Payloads.bytes(lsn, 100), lsn);
      }
      log.flush();
      // The preparation of the next spare (the appends rotated) must not race with the count:
      // under load its operations once fell between reading the count and arming the crash, so
      // that no crash point was ever reached.
      log.awaitBackgroundIdle();
      long base = vfs.operationCount();
      CrashPoint point = vfs.crashAfter(base + k, CrashOptions.powerLoss().seed(seed), target);
      try {
        step.run(log);
        returned = true;
      } catch (IOException e) {
        assertThat(vfs.isHalted()).as("only the crash may fail the step: %s", e).isTrue();
      }
      try {
        log.close();
      } catch (IOException e) {
        assertThat(vfs.isHalted()).as("only the crash may fail close: %s", e).isTrue();
      }
      operations = vfs.operationCount() - base;
      image = point.image();
    }
    if (image.isEmpty()) {
      target.close();
      assertThat(returned).isTrue();
      return operations;
    }
    try (FaultyVfs recoveredVfs = image.get();
        WriteAheadLog recovered = WriteAheadLog.open(recoveredVfs, config())) {
      check.check(recovered, returned);
    }
    return -1;
  }

  /**
   * Fails the 1st, 2nd, ... storage call of {@code step} (before it happens, or after it happened
   * with {@code afterOperation}), under the Linux fsync model (a failed flush drops the dirty
   * data), until the step and close run without reaching the fault. Every failure must reach the
   * caller; the log, reopened after a power loss, must pass {@code check}.
   *
   * @return the number of faults injected
   */
  private static int failureSweep(Step step, Check check, boolean afterOperation)
      throws Exception {
    long seed = TestSeed.seed();
    try {
      for (int n = 1; n <= MAX_STEPS; n++) {
        if (!failOnce(step, check, n, afterOperation, seed + n)) {
          return n - 1;
        }
      }
      throw new AssertionError("the step took more than " + MAX_STEPS + " operations");
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, CrashStepsTest.class, seed);
    }
  }

  /** {@return whether the fault was reached} */
  private static boolean failOnce(Step step, Check check, int n, boolean after, long seed)
      throws IOException {
    FaultConfig faults =
        FaultConfig.builder().seed(seed).flushFailureMode(FlushFailureMode.LINUX).build();
    boolean returned = false;
    boolean closed = false;
    FaultyVfs image;
    try (FaultyVfs vfs = FaultyVfs.open(freshName("log"), faults)) {
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      for (long lsn = 1; lsn <= RECORDS; lsn++) {
        log.appendNoWait(Payloads.bytes(lsn, 100), lsn);
      }
      log.flush();
      FaultRule rule =
          FaultRule.failOn(
                  OpKind.OPEN, OpKind.WRITE, OpKind.FLUSH, OpKind.TRUNCATE, OpKind.RENAME,
                  OpKind.DELETE, OpKind.SYNC_DIRECTORY)
              .onCall(n);
      vfs.addRule(after ? rule.afterOperation() : rule);
      try {
        step.run(log);
        returned = true;
      } catch (IOException e) {
        // the failure reached the caller, as it must
      }
      try {
        log.close();
        closed = true;
      } catch (IOException e) {
        // likewise
      }
      image = vfs.crash(CrashOptions.powerLoss().seed(seed), freshName("img"));
    }
    try (FaultyVfs recoveredVfs = image;
        WriteAheadLog recovered = WriteAheadLog.open(recoveredVfs, config())) {
      check.check(recovered, returned);
    }
    return !(returned && closed);
  }

  private static void assertRecords(WriteAheadLog log, long from, long to) throws IOException {
    List<Payloads.Read> records = Payloads.readAll(log, from);
    assertThat(records).hasSize((int) (to - from + 1));
    for (Payloads.Read record : records) {
      assertThat(record.tag()).isEqualTo(record.lsn());
      assertThat(record.payload()).isEqualTo(Payloads.bytes(record.lsn(), 100));
    }
  }

  @Test
  void aCrashAtAnyStepOfAResetLeavesTheOldLogOrTheEmptyNewOne() throws Exception {
    for (long nextLsn : new long[] {1000, 150}) {
      int states =
          sweep(
              log -> log.reset(nextLsn),
              (log, returned) -> {
                boolean reset = log.firstLsn() == nextLsn && log.lastLsn() == nextLsn - 1;
                if (returned || reset) {
                  assertThat(reset).as("first %d last %d", log.firstLsn(), log.lastLsn()).isTrue();
                  assertThat(Payloads.readAll(log, nextLsn)).isEmpty();
                  assertThat(log.append(Payloads.text("x"), 0)).isEqualTo(nextLsn);
                } else {
                  assertThat(log.firstLsn()).isEqualTo(1);
                  assertThat(log.lastLsn()).isEqualTo(RECORDS);
                  assertRecords(log, 1, RECORDS);
                }
              });
      assertThat(states).isGreaterThan(10);
    }
  }

  private static final long RESET_TO = 1000;

  private static void checkReset(WriteAheadLog log, boolean returned) throws IOException {
    boolean reset = log.firstLsn() == RESET_TO && log.lastLsn() == RESET_TO - 1;
    if (returned || reset) {
      assertThat(reset).as("first %d last %d", log.firstLsn(), log.lastLsn()).isTrue();
      assertThat(log.append(Payloads.text("x"), 0)).isEqualTo(RESET_TO);
    } else {
      assertThat(log.firstLsn()).isEqualTo(1);
      assertThat(log.lastLsn()).isEqualTo(RECORDS);
      assertRecords(log, 1, RECORDS);
    }
  }

  @Test
  void anIoErrorAtAnyStepOfAResetReachesTheCallerAndRecoveryFindsTheOldOrTheNewLog()
      throws Exception {
    assertThat(failureSweep(log -> log.reset(RESET_TO), CrashStepsTest::checkReset, false))
        .isGreaterThan(10);
    assertThat(failureSweep(log -> log.reset(RESET_TO), CrashStepsTest::checkReset, true))
        .isGreaterThan(10);
  }

  @Test
  void anIoErrorAtAnyStepOfTruncateBeforeOrABatchAppendLeavesAConsistentLog() throws Exception {
    long first = 203;
    int faults =
        failureSweep(
            log -> log.truncateBefore(first),
            (log, returned) -> {
              assertThat(log.firstLsn()).isIn(returned ? List.of(first) : List.of(1L, first));
              assertRecords(log, log.firstLsn(), RECORDS);
            },
            false);
    List<LogEntry> batch = new ArrayList<>();
    long[] tags = new long[6];
    for (int i = 0; i < tags.length; i++) {
      batch.add(LogEntry.of(Payloads.bytes(RECORDS + 1 + i, 100)));
      tags[i] = RECORDS + 1 + i;
    }
    faults +=
        failureSweep(
            log -> log.appendAll(batch, tags),
            (log, returned) -> {
              assertThat(log.lastLsn())
                  .isIn(returned ? List.of(RECORDS + 6L) : List.of((long) RECORDS, RECORDS + 6L));
              assertRecords(log, 1, log.lastLsn());
            },
            true);
    assertThat(faults).isGreaterThan(3);
  }

  @Test
  void aCrashAtAnyStepOfTruncateBeforeLeavesTheOldOrTheNewFirstLsn() throws Exception {
    long first = 203; // inside a segment
    int states =
        sweep(
            log -> log.truncateBefore(first),
            (log, returned) -> {
              assertThat(log.firstLsn()).isIn(returned ? List.of(first) : List.of(1L, first));
              assertThat(log.lastLsn()).isEqualTo(RECORDS);
              assertRecords(log, log.firstLsn(), RECORDS);
            });
    assertThat(states).isGreaterThanOrEqualTo(3);
  }

  /** {@return a batch of {@code tags.length} records after the log's, filling in their tags} */
  private static List<LogEntry> batchAfterTheRecords(long[] tags) {
    List<LogEntry> batch = new ArrayList<>();
    for (int i = 0; i < tags.length; i++) {
      long lsn = RECORDS + 1 + i;
      batch.add(LogEntry.of(Payloads.bytes(lsn, 100)));
      tags[i] = lsn;
    }
    return batch;
  }

  @Test
  void aCrashAtAnyStepOfABatchAppendLeavesAllOfItOrNone() throws Exception {
    long[] tags = new long[6];
    List<LogEntry> batch = batchAfterTheRecords(tags);
    int states =
        sweep(
            log -> log.appendAll(batch, tags),
            (log, returned) -> {
              long last = log.lastLsn();
              assertThat(last).isIn(returned ? List.of(RECORDS + 6L) : List.of(
                  (long) RECORDS, RECORDS + 6L));
              assertRecords(log, 1, last);
            });
    assertThat(states).isGreaterThan(1);
  }

  @Test
  void aCrashAtAnyStepOfTruncateAfterInsideABatchKeepsThePrefix() throws Exception {
    long[] tags = new long[6];
    List<LogEntry> batch = batchAfterTheRecords(tags);
    long cut = RECORDS + 3;
    int states =
        sweep(
            log -> {
              log.appendAll(batch, tags);
              log.truncateAfter(cut);
            },
            (log, returned) -> {
              long last = log.lastLsn();
              if (returned) {
                assertThat(last).isEqualTo(cut);
              }
              // a crash in the append leaves none or all of the batch; in the cut, all or the
              // prefix up to the cut
              assertThat(last).isIn((long) RECORDS, cut, RECORDS + 6L);
              assertRecords(log, 1, last);
              assertThat(log.append(Payloads.bytes(last + 1, 100), last + 1)).isEqualTo(last + 1);
            });
    assertThat(states).isGreaterThan(5);
  }
}
