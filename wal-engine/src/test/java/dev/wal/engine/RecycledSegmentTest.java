package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segments that {@code truncateBefore} drops become the next segments' files, their old records
 * left in place: the log behind them still reads whole, recovery takes the old records for neither
 * records nor damage, and a torn or lost write over them is still told apart (see {@link
 * WalFormat}).
 */
class RecycledSegmentTest {
  @TempDir Path tempDir;

  private static final int SEGMENT_BYTES = 16 << 10;
  private static final int PAYLOAD_BYTES = 700;

  private static WalConfig config(boolean recycle) {
    return WalConfig.builder()
        .segmentBytes(SEGMENT_BYTES)
        .bufferBytes(4096)
        .maxRecordBytes(2000)
        .flushInterval(Duration.ofMinutes(1))
        .recycleSegments(recycle)
        .build();
  }

  /**
   * Appends durable records (one batch each) and truncates behind them for {@code rounds}
   * rotations, then until the newest segment's file is a recycled one; leaves the log open.
   */
  private static WriteAheadLog recycleThrough(Vfs vfs, int rounds) throws IOException {
    WriteAheadLog log = WriteAheadLog.open(vfs, config(true));
    for (int round = 0; round < rounds || !newestHeader(vfs).recycled(); round++) {
      assertThat(round).as("rotations before a recycled segment").isLessThan(rounds + 4);
      int segments = SegmentFiles.segments(vfs).size();
      while (SegmentFiles.segments(vfs).size() == segments) {
        log.awaitBackgroundIdle(); // so that the rotation finds the spare ready
        append(log);
      }
      log.awaitBackgroundIdle(); // so that the next spare is prepared before the truncation
      log.truncateBefore(log.lastLsn() - 1); // drops every segment but the newest
    }
    append(log);
    return log;
  }

  private static long append(WriteAheadLog log) throws IOException {
    long lsn = log.lastLsn() + 1;
    return log.append(Payloads.bytes(lsn, PAYLOAD_BYTES), lsn);
  }

  private static SegmentHeader newestHeader(Vfs vfs) throws IOException {
    String name = SegmentFiles.lastSegment(vfs);
    byte[] bytes = SegmentFiles.read(vfs, name);
    ByteBuffer header = ByteBuffer.wrap(bytes, 0, WalFormat.SEGMENT_HEADER_BYTES).slice();
    return SegmentHeader.decode(
        name, SegmentNames.parseSegmentName(name), header.order(ByteOrder.LITTLE_ENDIAN));
  }

  /** A copy of {@code vfs}'s files as they are: what a crash of the process leaves. */
  private static SparseVfs copyOf(SparseVfs vfs) {
    SparseVfs copy = new SparseVfs(512);
    for (Map.Entry<String, byte[]> file : vfs.snapshot().entrySet()) {
      copy.put(file.getKey(), file.getValue(), vfs.size(file.getKey()));
    }
    return copy;
  }

  /**
   * Reopens the log in {@code vfs}: nothing is cut and records {@code first} to {@code last} read
   * back; one more appended is there after another reopen.
   */
  private static void assertReopensWholeAndAppends(Vfs vfs, long first, long last)
      throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(true))) {
      assertThat(log.recoveryReport().repairedSegment()).isEmpty();
      assertRecords(log, first, last);
      append(log);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(true))) {
      assertRecords(log, first, last + 1);
    }
  }

  private static void assertRecords(WriteAheadLog log, long from, long to) throws IOException {
    List<Payloads.Read> records = Payloads.readAll(log, from);
    assertThat(records).extracting(Payloads.Read::lsn)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(from, to).boxed()
            .toList());
    for (Payloads.Read read : records) {
      assertThat(read.payload()).isEqualTo(Payloads.bytes(read.lsn(), PAYLOAD_BYTES));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.wal.engine.TestStorage#backends")
  void aLogTruncatedBehindItsAppendsReadsAndReopensWholeOnEveryBackend(String backend)
      throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    long first;
    long last;
    try (Vfs vfs = storage.open()) {
      try (WriteAheadLog log = recycleThrough(vfs, 6)) {
        assertRecords(log, log.firstLsn(), log.lastLsn());
        first = log.firstLsn();
        last = log.lastLsn();
      }
      assertReopensWholeAndAppends(vfs, first, last);
    }
  }

  @Test
  void aDroppedSegmentBecomesALaterOneWithItsOldRecordsLeftInPlace() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(true))) {
      while (SegmentFiles.segments(vfs).size() < 2) {
        append(log);
      }
      String dropped = SegmentFiles.segments(vfs).get(0);
      byte[] before = SegmentFiles.read(vfs, dropped);
      long salt = ByteBuffer.wrap(before).order(ByteOrder.LITTLE_ENDIAN)
          .getLong(WalFormat.HEADER_SALT_OFFSET);
      log.awaitBackgroundIdle(); // no spare under way takes the dropped segment at once
      log.truncateBefore(log.lastLsn());
      assertThat(vfs.list()).contains(SegmentNames.RECYCLED).doesNotContain(dropped);
      // The spare under way may be a zero-filled one: the kept segment serves the next.
      for (int i = 0; !newestHeader(vfs).recycled(); i++) {
        assertThat(i).as("appends before a recycled segment").isLessThan(100);
        log.awaitBackgroundIdle();
        append(log);
      }
      assertThat(newestHeader(vfs).previousSalt()).isEqualTo(salt);
      assertThat(vfs.list()).doesNotContain(SegmentNames.RECYCLED);
      byte[] after = SegmentFiles.read(vfs, SegmentFiles.lastSegment(vfs));
      int tail = SEGMENT_BYTES - 4096; // no zeros were written there: the old records remain
      assertThat(Arrays.copyOfRange(after, tail, SEGMENT_BYTES))
          .isEqualTo(Arrays.copyOfRange(before, tail, SEGMENT_BYTES));
      assertRecords(log, log.firstLsn(), log.lastLsn());
    }
  }

  @Test
  void aLogTruncatedBehindItsAppendsTakesEveryNewSegmentFromADroppedOne() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 3)) {
      for (int round = 0; round < 6; round++) {
        int segments = SegmentFiles.segments(vfs).size();
        while (SegmentFiles.segments(vfs).size() == segments) {
          log.awaitBackgroundIdle();
          append(log);
        }
        assertThat(newestHeader(vfs).recycled()).as("segment of round %s", round).isTrue();
        log.truncateBefore(log.lastLsn() - 1);
      }
    }
  }

  @Test
  void aLogThroughRecycledSegmentsReopensWholeAfterACleanCloseWithoutWriting()
      throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    long first;
    long last;
    try (WriteAheadLog log = recycleThrough(vfs, 4)) {
      first = log.firstLsn();
      last = log.lastLsn();
    }
    long changes = vfs.changes();
    WriteAheadLog reopened = WriteAheadLog.open(vfs, config(true));
    assertThat(vfs.changes()).isEqualTo(changes); // the open wrote nothing
    reopened.close();
    assertReopensWholeAndAppends(vfs, first, last);
  }

  @Test
  void afterAProcessCrashInARecycledSegmentEveryRecordComesBackAndNothingIsCut()
      throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 3)) {
      SparseVfs crashed = copyOf(vfs);
      try (WriteAheadLog reopened = WriteAheadLog.open(crashed, config(true))) {
        assertThat(reopened.recoveryReport().repairedSegment()).isEmpty();
        assertRecords(reopened, log.firstLsn(), log.lastLsn());
      }
    }
  }

  @Test
  void aTornBatchOverOldRecordsIsCutAsATornTail() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 2)) {
      long torn = append(log);
      SparseVfs crashed = copyOf(vfs);
      String newest = SegmentFiles.lastSegment(crashed);
      long[] range = SegmentFiles.recordRange(crashed, newest, torn);
      byte[] bytes = SegmentFiles.read(crashed, newest);
      Arrays.fill(bytes, (int) range[0] + 512, (int) range[1], (byte) 0x5A); // sectors not written
      SegmentFiles.write(crashed, newest, bytes);
      try (WriteAheadLog reopened = WriteAheadLog.open(crashed, config(true))) {
        assertThat(reopened.recoveryReport().repairedSegment()).contains(newest);
        assertThat(reopened.lastLsn()).isEqualTo(torn - 1);
        assertRecords(reopened, log.firstLsn(), torn - 1);
        append(reopened);
      }
      try (WriteAheadLog reopened = WriteAheadLog.open(crashed, config(true))) {
        assertThat(reopened.recoveryReport().repairedSegment()).isEmpty();
        assertRecords(reopened, log.firstLsn(), torn);
      }
    }
  }

  @Test
  void aLostWriteInARecycledSegmentIsCorruptionWhenALaterBatchSurvived() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 2)) {
      String newest = SegmentFiles.lastSegment(vfs);
      byte[] old = SegmentFiles.read(vfs, newest); // as it was before the next two batches
      long lost = log.lastLsn() + 1;
      for (int i = 0; i < 4; i++) { // one batch, long enough to span whole records of old
        log.appendNoWait(Payloads.bytes(lost + i, PAYLOAD_BYTES), lost + i);
      }
      log.flush();
      append(log);
      SparseVfs crashed = copyOf(vfs);
      long start = SegmentFiles.recordRange(crashed, newest, lost)[0];
      long end = SegmentFiles.recordRange(crashed, newest, lost + 3)[1];
      byte[] bytes = SegmentFiles.read(crashed, newest);
      System.arraycopy(old, (int) start, bytes, (int) start, (int) (end - start));
      SegmentFiles.write(crashed, newest, bytes);
      assertThatThrownBy(() -> WriteAheadLog.open(crashed, config(true)).close())
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(newest);
    }
  }

  @Test
  void withRecyclingOffADroppedSegmentIsDeleted() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(false))) {
      while (SegmentFiles.segments(vfs).size() < 3) {
        append(log);
      }
      log.truncateBefore(log.lastLsn());
      assertThat(SegmentFiles.segments(vfs)).hasSize(1);
      assertThat(vfs.list()).doesNotContain(SegmentNames.RECYCLED);
    }
  }

  @Test
  void resetDeletesTheKeptSegmentWhoseRecordsMayCarryTheLsnsToCome() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 1)) {
      log.awaitBackgroundIdle();
      log.truncateBefore(log.lastLsn());
      assertThat(vfs.list()).contains(SegmentNames.RECYCLED);
      log.reset(1);
      assertThat(vfs.list()).doesNotContain(SegmentNames.RECYCLED);
      assertThat(newestHeader(vfs).recycled()).isFalse();
      append(log);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(true))) {
      assertRecords(log, 1, 1);
    }
  }

  @Test
  void resetDiscardsASpareMadeFromAKeptSegment() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = recycleThrough(vfs, 1)) {
      log.awaitBackgroundIdle();
      log.truncateBefore(log.lastLsn());
      for (int i = 0; vfs.list().contains(SegmentNames.RECYCLED); i++) {
        assertThat(i).as("appends before the spare takes the kept segment").isLessThan(100);
        log.awaitBackgroundIdle();
        append(log);
      }
      log.reset(1);
      assertThat(newestHeader(vfs).recycled()).isFalse();
      append(log);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config(true))) {
      assertRecords(log, 1, 1);
    }
  }
}
