package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogFailedException;
import dev.wal.vfs.OutOfSpaceException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.faulty.TraceEvent;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The clean-close marker (see {@link WriteAheadLog#open}): a log closed cleanly reopens without
 * writing anything; any other reopen rewrites the newest segment; a crash or an I/O error at any
 * step of close, or of clearing the marker before the first append after a clean reopen, loses
 * nothing acknowledged, also under Linux's fsync-failure behaviour in the same page cache.
 */
class CleanCloseTest {
  private static final AtomicLong NAMES = new AtomicLong();
  private static final int RECORDS = 50;
  private static final int MAX_STEPS = 200;

  /** The storage operations that change something. */
  private static final Set<OpKind> CHANGES =
      EnumSet.of(OpKind.WRITE, OpKind.FLUSH, OpKind.TRUNCATE, OpKind.RENAME, OpKind.DELETE,
          OpKind.SYNC_DIRECTORY);

  /** Segments large enough that nothing here rotates, so no background thread does I/O. */
  private static WalConfig config() {
    return WalConfig.builder()
        .segmentBytes(1 << 20)
        .bufferBytes(8 << 10)
        .maxRecordBytes(16 << 10)
        .flushInterval(Duration.ofMinutes(1))
        .build();
  }

  private static String freshName(String what) {
    return "memory:clean-close-" + what + "-" + ProcessHandle.current().pid() + "-"
        + NAMES.incrementAndGet();
  }

  private static FaultyVfs faulty(long seed, FlushFailureMode mode) throws IOException {
    return FaultyVfs.open(freshName("log"),
        FaultConfig.builder().seed(seed).flushFailureMode(mode).build());
  }

  private static void appendRecords(WriteAheadLog log, long from, long to) throws IOException {
    for (long lsn = from; lsn <= to; lsn++) {
      assertThat(log.appendNoWait(Payloads.bytes(lsn, 100), lsn)).isEqualTo(lsn);
    }
    log.flush();
  }

  private static void assertRecords(WriteAheadLog log, long from, long to) throws IOException {
    List<Payloads.Read> records = Payloads.readAll(log, from);
    assertThat(records).hasSize((int) (to - from + 1));
    for (Payloads.Read record : records) {
      assertThat(record.tag()).isEqualTo(record.lsn());
      assertThat(record.payload()).isEqualTo(Payloads.bytes(record.lsn(), 100));
    }
  }

  /** {@return the changing operations {@code vfs} sees while {@code action} runs} */
  private static List<TraceEvent> changesDuring(FaultyVfs vfs, IoAction action)
      throws IOException {
    List<TraceEvent> changes = new ArrayList<>();
    vfs.setOperationHandler(event -> {
      if (CHANGES.contains(event.kind())) {
        changes.add(event);
      }
    });
    try {
      action.run();
    } finally {
      vfs.setOperationHandler(null);
    }
    return changes;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static boolean rewrote(List<TraceEvent> changes) {
    return changes.stream().anyMatch(e -> e.kind() == OpKind.RENAME
        && SegmentNames.FRESH.equals(e.file()));
  }

  @Test
  void aLogClosedCleanlyReopensWithoutChangingAnythingOnStorage() throws IOException {
    try (FaultyVfs vfs = faulty(1, FlushFailureMode.RETRY_SUCCEEDS)) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        appendRecords(log, 1, RECORDS);
      }
      assertThat(LogMeta.read(vfs).cleanClose()).isNotNull();
      List<WriteAheadLog> opened = new ArrayList<>();
      List<TraceEvent> changes =
          changesDuring(vfs, () -> opened.add(WriteAheadLog.open(vfs, config())));
      assertThat(changes).isEmpty();
      try (WriteAheadLog log = opened.get(0)) {
        assertThat(log.flushedLsn()).isEqualTo(RECORDS);
        assertRecords(log, 1, RECORDS);
        assertThat(changesDuring(vfs, log::close)).isEmpty(); // nothing changed: nothing to mark
      }
      assertThat(LogMeta.read(vfs).cleanClose()).isNotNull();
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        List<TraceEvent> firstAppend =
            changesDuring(vfs, () -> log.append(Payloads.bytes(RECORDS + 1, 100), RECORDS + 1));
        // The marker is cleared, durably, before the batch is written.
        assertThat(firstAppend.get(0).file()).isEqualTo(SegmentNames.META_TMP);
        assertThat(LogMeta.read(vfs).cleanClose()).isNull();
      }
      LogMeta.CleanClose marker = LogMeta.read(vfs).cleanClose();
      assertThat(marker.lastLsn()).isEqualTo(RECORDS + 1);
      assertThat(marker.segmentFirstLsn()).isEqualTo(1);
    }
  }

  @Test
  void aLogClosedCleanlyOpensAndReadsOnAFullDisk() throws IOException {
    long segmentBytes = config().segmentBytes();
    // Room for the preallocated segment and the meta file the clean close writes, and no more.
    FaultConfig faults = FaultConfig.builder().seed(4)
        .quota(segmentBytes + WalFormat.META_BYTES + 32, false).build();
    try (FaultyVfs vfs = FaultyVfs.open(freshName("log"), faults)) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        appendRecords(log, 1, RECORDS);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertRecords(log, 1, RECORDS);
        // The disk is full: clearing the marker before the first write fails, and says why.
        assertThatThrownBy(() -> log.append(Payloads.bytes(RECORDS + 1, 100), RECORDS + 1))
            .isInstanceOf(LogFailedException.class)
            .hasRootCauseInstanceOf(OutOfSpaceException.class);
        assertThatThrownBy(log::close).isInstanceOf(LogFailedException.class);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertRecords(log, 1, RECORDS); // the marker is still there: the open wrote nothing
      }
    }
  }

  @Test
  void aLogReopenedAfterAFailedFlushRewritesItsNewestSegmentAndKeepsWhatItReportsDurable()
      throws IOException {
    try (FaultyVfs vfs = faulty(2, FlushFailureMode.LINUX)) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        appendRecords(log, 1, RECORDS);
      }
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      vfs.addRule(FaultRule.failOn(OpKind.FLUSH).files("0*.wal").onCall(1));
      log.appendNoWait(Payloads.bytes(RECORDS + 1, 100), RECORDS + 1);
      assertThatThrownBy(log::flush).isInstanceOf(LogFailedException.class);
      assertThatThrownBy(log::close).isInstanceOf(LogFailedException.class);
      assertThat(LogMeta.read(vfs).cleanClose()).isNull();
      List<WriteAheadLog> opened = new ArrayList<>();
      List<TraceEvent> changes =
          changesDuring(vfs, () -> opened.add(WriteAheadLog.open(vfs, config())));
      assertThat(rewrote(changes)).as("%s", changes).isTrue();
      try (WriteAheadLog reopened = opened.get(0)) {
        // the page cache still shows the record the failed flush covered: it must be durable now
        assertThat(reopened.flushedLsn()).isEqualTo(RECORDS + 1);
      }
      try (FaultyVfs image = vfs.crash(
              CrashOptions.powerLoss().unflushed(CrashOptions.Unflushed.NONE, 0),
              freshName("img"));
          WriteAheadLog recovered = WriteAheadLog.open(image, config())) {
        assertRecords(recovered, 1, RECORDS + 1);
      }
    }
  }

  @Test
  void aLogReopenedAfterItsProcessDiedRewritesItsNewestSegment() throws IOException {
    try (FaultyVfs vfs = faulty(3, FlushFailureMode.RETRY_SUCCEEDS)) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        appendRecords(log, 1, RECORDS);
      }
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      log.append(Payloads.bytes(RECORDS + 1, 100), RECORDS + 1);
      try (FaultyVfs image = vfs.crash(CrashOptions.processCrash(), freshName("img"))) {
        List<WriteAheadLog> opened = new ArrayList<>();
        List<TraceEvent> changes =
            changesDuring(image, () -> opened.add(WriteAheadLog.open(image, config())));
        assertThat(rewrote(changes)).as("%s", changes).isTrue();
        try (WriteAheadLog recovered = opened.get(0)) {
          assertRecords(recovered, 1, RECORDS + 1);
        }
      } finally {
        log.close();
      }
    }
  }

  // ---- a crash or an I/O error at every step --------------------------------------------------

  private interface Step {
    void run(WriteAheadLog log, FaultyVfs vfs) throws IOException;
  }

  /** Closes the log (cleanly: every record is durable). */
  private static void close(WriteAheadLog log, FaultyVfs vfs) throws IOException {
    log.close();
  }

  /** Closes the log cleanly, reopens it and appends one record. */
  private static void reopenAndAppend(WriteAheadLog log, FaultyVfs vfs) throws IOException {
    log.close();
    try (WriteAheadLog reopened = WriteAheadLog.open(vfs, config())) {
      reopened.append(Payloads.bytes(RECORDS + 1, 100), RECORDS + 1);
    }
  }

  @Test
  void aPowerLossAtAnyStepOfCloseOrOfClearingTheMarkerLosesNothingAcknowledged()
      throws Exception {
    long seed = TestSeed.seed();
    try {
      for (Step step : new Step[] {CleanCloseTest::close, CleanCloseTest::reopenAndAppend}) {
        long operations = crashOnce(step, Long.MAX_VALUE / 2, seed);
        assertThat(operations).isBetween(1L, (long) MAX_STEPS);
        int states = 0;
        for (int k = 1; k <= operations; k++) {
          assertThat(crashOnce(step, k, seed + k)).as("crash after operation %d", k).isEqualTo(-1);
          states++;
        }
        assertThat(states).isGreaterThan(5);
      }
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, CleanCloseTest.class, seed);
    }
  }

  /**
   * Runs {@code step} after appending and flushing {@link #RECORDS} records, with a power loss
   * armed after its {@code k}-th storage operation; checks the recovered log.
   *
   * @return -1 if the crash happened, otherwise the number of operations the step took
   */
  private static long crashOnce(Step step, long k, long seed) throws IOException {
    Optional<FaultyVfs> image;
    long operations;
    Vfs target = Vfs.open(freshName("img"));
    try (FaultyVfs vfs = faulty(seed, FlushFailureMode.RETRY_SUCCEEDS)) {
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      appendRecords(log, 1, RECORDS);
      long base = vfs.operationCount();
      CrashPoint point = vfs.crashAfter(base + k, CrashOptions.powerLoss().seed(seed), target);
      try {
        step.run(log, vfs);
      } catch (IOException e) {
        assertThat(vfs.isHalted()).as("only the crash may fail the step: %s", e).isTrue();
      } finally {
        closeHalted(log, vfs);
      }
      operations = vfs.operationCount() - base;
      image = point.image();
    }
    if (image.isEmpty()) {
      target.close();
      return operations;
    }
    checkRecovered(image.get(), RECORDS);
    return -1;
  }

  private static void closeHalted(WriteAheadLog log, FaultyVfs vfs) {
    try {
      log.close();
    } catch (IOException e) {
      assertThat(vfs.isHalted()).as("only the crash may fail close: %s", e).isTrue();
    }
  }

  /**
   * Opens the log on {@code vfs} (and closes {@code vfs}): it must hold at least the acknowledged
   * records, then append one more, durably, and reopen with all of them.
   */
  private static void checkRecovered(FaultyVfs vfs, long acknowledged) throws IOException {
    try (vfs) {
      long last;
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        last = log.lastLsn();
        assertThat(last).isBetween(acknowledged, (long) RECORDS + 1);
        assertRecords(log, 1, last);
        assertThat(log.append(Payloads.bytes(last + 1, 100), last + 1)).isEqualTo(last + 1);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertRecords(log, 1, last + 1);
      }
    }
  }

  @Test
  void anIoErrorAtAnyStepOfCloseOrOfClearingTheMarkerThenAReopenInTheSamePageCacheLosesNothing()
      throws Exception {
    long seed = TestSeed.seed();
    try {
      for (Step step : new Step[] {CleanCloseTest::close, CleanCloseTest::reopenAndAppend}) {
        int faults = 0;
        for (int n = 1; n <= MAX_STEPS && failOnce(step, n, seed + n); n++) {
          faults++;
        }
        assertThat(faults).isGreaterThan(3).isLessThan(MAX_STEPS);
      }
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, CleanCloseTest.class, seed);
    }
  }

  /**
   * Fails the {@code n}-th changing storage call of {@code step} under Linux's fsync model, then
   * reopens in the same page cache, appends one record durably, and checks that a power loss
   * keeping only what was flushed holds every record the reopened log acknowledged.
   *
   * @return whether the fault was reached
   */
  private static boolean failOnce(Step step, int n, long seed) throws IOException {
    try (FaultyVfs vfs = faulty(seed, FlushFailureMode.LINUX)) {
      WriteAheadLog log = WriteAheadLog.open(vfs, config());
      appendRecords(log, 1, RECORDS);
      FaultRule rule = FaultRule.failOn(OpKind.OPEN, OpKind.WRITE, OpKind.FLUSH, OpKind.TRUNCATE,
          OpKind.RENAME, OpKind.DELETE, OpKind.SYNC_DIRECTORY).onCall(n);
      vfs.addRule(seed % 2 == 0 ? rule : rule.afterOperation());
      boolean failed = false;
      try {
        step.run(log, vfs);
      } catch (IOException e) {
        failed = true;
      }
      try {
        log.close();
      } catch (IOException e) {
        failed = true;
      }
      if (!failed) {
        return false;
      }
      long acknowledged;
      try (WriteAheadLog reopened = WriteAheadLog.open(vfs, config())) {
        long last = reopened.lastLsn();
        assertThat(last).isBetween((long) RECORDS, RECORDS + 1L);
        assertThat(reopened.flushedLsn()).isEqualTo(last); // reported durable: must be
        acknowledged = reopened.append(Payloads.bytes(last + 1, 100), last + 1);
      }
      FaultyVfs image = vfs.crash(
          CrashOptions.powerLoss().unflushed(CrashOptions.Unflushed.NONE, 0), freshName("img"));
      try (image; WriteAheadLog recovered = WriteAheadLog.open(image, config())) {
        assertThat(recovered.lastLsn()).isEqualTo(acknowledged);
        assertRecords(recovered, 1, acknowledged);
      }
      return true;
    }
  }
}
