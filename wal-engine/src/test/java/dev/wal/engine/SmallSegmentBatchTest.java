package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.LogEntry;
import dev.wal.vfs.Vfs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the crash suite when it began to append batches (issue 4, issue 7): {@code appendAll}
 * allowed a group two 4 KiB blocks less than a segment, where one record may take all but one, so
 * in the smallest segment (8 KiB) it refused every group, even one tiny record that {@code append}
 * takes.
 */
class SmallSegmentBatchTest {
  private static final WalConfig SMALLEST = WalConfig.builder()
      .segmentBytes(8192)
      .bufferBytes(4096)
      .maxRecordBytes(8192 - 4096 - 64)
      .preallocate(false)
      .flushInterval(Duration.ofMinutes(1))
      .build();

  @Test
  void aGroupTakesAsMuchOfTheSmallestSegmentAsOneRecordMay() throws Exception {
    try (Vfs vfs = TestStorage.memory().open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, SMALLEST)) {
        assertThat(log.appendAll(List.of(LogEntry.of(new byte[40])), new long[] {7})).isEqualTo(1);
        byte[] largest = new byte[SMALLEST.maxRecordBytes()];
        assertThat(log.appendAll(List.of(LogEntry.of(largest)), new long[] {8})).isEqualTo(2);
        // the same bytes in two records of a group: the group also fits an empty segment
        byte[] half = new byte[SMALLEST.maxRecordBytes() / 2 - 32];
        assertThat(log.appendAll(List.of(LogEntry.of(half), LogEntry.of(half)), new long[2]))
            .isEqualTo(3);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, SMALLEST)) {
        assertThat(log.lastLsn()).isEqualTo(4);
        assertThat(log.read(1).tag()).isEqualTo(7);
        assertThat(log.read(2).payload().remaining()).isEqualTo(SMALLEST.maxRecordBytes());
        assertThat(log.read(4).payload().remaining()).isEqualTo(SMALLEST.maxRecordBytes() / 2 - 32);
      }
    }
  }
}
