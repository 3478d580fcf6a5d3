package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both truncations, followed by reopen, on a grid of segment and buffer sizes and backends. */
class TruncationTest {
  @TempDir Path tempDir;

  private static final int COUNT = 1500;

  /** Segment size × buffer size × backend (STYLE 37). */
  static Stream<Arguments> grid() {
    Stream.Builder<Arguments> grid = Stream.builder();
    for (String backend : TestStorage.backends()) {
      for (long segment : new long[] {16 << 10, 64 << 10}) {
        for (int buffer : new int[] {4 << 10, 8 << 10}) {
          grid.add(Arguments.of(backend, segment, buffer));
        }
      }
    }
    return grid.build();
  }

  private static WalConfig config(long segment, int buffer) {
    return WalConfig.builder()
        .segmentBytes(segment)
        .bufferBytes(buffer)
        .maxRecordBytes(4 << 10)
        .build();
  }

  private static void fill(Vfs vfs, WalConfig config) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      for (int i = 1; i <= COUNT; i++) {
        if (i % 100 == 0) {
          log.append(Payloads.bytes(i, i % 300), i);
        } else {
          log.appendNoWait(Payloads.bytes(i, i % 300), i);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("grid")
  void truncateAfterCutsDurablyAndTheNextAppendTakesTheNextLsn(
      String backend, long segment, int buffer) throws IOException {
    WalConfig config = config(segment, buffer);
    for (long cut : new long[] {COUNT - 1, 1000, 1, 0}) {
      try (Vfs vfs = TestStorage.of(backend, tempDir.resolve("cut" + cut)).open()) {
        fill(vfs, config);
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
          log.truncateAfter(cut);
          assertThat(log.lastLsn()).isEqualTo(cut);
          assertThat(log.flushedLsn()).isEqualTo(cut);
          assertThat(log.append(Payloads.text("replacement"), -1)).isEqualTo(cut + 1);
        }
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
          List<Payloads.Read> records = Payloads.readAll(log, 1);
          assertThat(records).hasSize((int) cut + 1);
          for (int i = 0; i < cut; i++) {
            assertThat(records.get(i).payload()).isEqualTo(Payloads.bytes(i + 1, (i + 1) % 300));
          }
          assertThat(records.get((int) cut).text()).isEqualTo("replacement");
          assertThat(records.get((int) cut).tag()).isEqualTo(-1);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("grid")
  void truncateBeforeDropsWholeOldSegmentsAndKeepsEveryLaterRecord(
      String backend, long segment, int buffer) throws IOException {
    WalConfig config = config(segment, buffer);
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      fill(vfs, config);
      int segmentsBefore = SegmentFiles.segments(vfs).size();
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
        log.truncateBefore(1200);
        assertThat(log.firstLsn()).isLessThanOrEqualTo(1200).isGreaterThan(1);
        log.append(Payloads.text("after"), 0);
      }
      assertThat(SegmentFiles.segments(vfs).size()).isLessThan(segmentsBefore);
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
        long first = log.firstLsn();
        List<Payloads.Read> records = Payloads.readAll(log, first);
        assertThat(records.get(0).lsn()).isEqualTo(first);
        assertThat(records).hasSize((int) (COUNT - first + 2));
        assertThat(records.get(records.size() - 1).text()).isEqualTo("after");
        assertThatThrownBy(() -> log.truncateBefore(COUNT + 3))
            .isInstanceOf(IllegalArgumentException.class);
        log.truncateBefore(COUNT + 2); // every record: the first LSN is exact, not a segment's
        assertThat(log.firstLsn()).isEqualTo(COUNT + 2);
        assertThat(log.lastLsn()).isEqualTo(COUNT + 1);
        assertThat(Payloads.readAll(log, log.firstLsn())).isEmpty();
        assertThat(SegmentFiles.segments(vfs)).hasSize(1); // the newest is never deleted
      }
    }
  }

  @ParameterizedTest
  @MethodSource("grid")
  void truncateAfterRefusesLsnsOutsideTheLogAndStaysUsable(
      String backend, long segment, int buffer) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config(segment, buffer))) {
      log.append(Payloads.text("one"), 1);
      assertThatThrownBy(() -> log.truncateAfter(2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LSN 2");
      assertThatThrownBy(() -> log.truncateAfter(-1)).isInstanceOf(IllegalArgumentException.class);
      log.truncateAfter(1); // nothing to cut
      assertThat(log.append(Payloads.text("two"), 2)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @MethodSource("grid")
  void aReaderOpenedBeforeTruncateAfterStops(String backend, long segment, int buffer)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config(segment, buffer))) {
      for (int i = 0; i < 10; i++) {
        log.append(Payloads.text("r" + i), i);
      }
      try (LogReader reader = log.reader(1)) {
        assertThat(reader.next().lsn()).isEqualTo(1);
        log.truncateAfter(5);
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
      }
    }
  }
}
