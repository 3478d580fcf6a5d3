package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The first and last LSN at any time, the exact logical first LSN, and a durable reset. */
class ResetAndFirstLsnTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static WalConfig config() {
    return WalConfig.builder()
        .segmentBytes(32 << 10)
        .bufferBytes(8 << 10)
        .maxRecordBytes(16 << 10)
        .build();
  }

  private static void fill(WriteAheadLog log, long toLsn) throws IOException {
    for (long lsn = log.lastLsn() + 1; lsn <= toLsn; lsn++) {
      log.appendNoWait(Payloads.bytes(lsn, 100), lsn);
    }
    log.flush();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aNewLogHasFirstLsnOneAndLastLsnZero(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      assertThat(log.firstLsn()).isEqualTo(1);
      assertThat(log.lastLsn()).isZero();
      log.appendNoWait(Payloads.text("one"), 1);
      assertThat(log.lastLsn()).isEqualTo(1); // at once, before it is durable
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void truncateBeforeInsideASegmentMakesTheFirstLsnExactAndDurable(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 1000);
        long[] segments = log.segments().snapshot();
        long inside = segments[2] + 3; // not a segment's first LSN
        log.truncateBefore(inside);
        assertThat(log.firstLsn()).isEqualTo(inside);
        assertThat(log.segments().oldestFirstLsn()).isEqualTo(segments[2]);
        assertThatThrownBy(() -> log.reader(inside - 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("truncated away");
        log.truncateBefore(inside - 2); // never moves back
        assertThat(log.firstLsn()).isEqualTo(inside);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        long first = log.firstLsn();
        assertThat(first).isGreaterThan(log.segments().oldestFirstLsn());
        List<Payloads.Read> records = Payloads.readAll(log, first);
        assertThat(records.get(0).lsn()).isEqualTo(first);
        assertThat(records).hasSize((int) (1000 - first + 1));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void truncateBeforeMakesTheRecordsBeforeItDurableFirst(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (int i = 1; i <= 10; i++) {
          log.appendNoWait(Payloads.bytes(i, 100), i);
        }
        log.truncateBefore(11);
        assertThat(log.flushedLsn()).isGreaterThanOrEqualTo(10);
        assertThat(log.firstLsn()).isEqualTo(11);
        assertThat(log.lastLsn()).isEqualTo(10);
        assertThat(log.append(Payloads.text("eleven"), 11)).isEqualTo(11);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.firstLsn()).isEqualTo(11);
        assertThat(Payloads.readAll(log, 11)).extracting(Payloads.Read::text)
            .containsExactly("eleven");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void resetDiscardsEveryRecordAndTheNextAppendGetsTheGivenLsn(String backend)
      throws IOException {
    for (long nextLsn : new long[] {5000, 7, 1}) { // after, inside and at the start of the log
      try (Vfs vfs = TestStorage.of(backend, tempDir.resolve("n" + nextLsn)).open()) {
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
          fill(log, 1000);
          try (LogReader before = log.reader(1)) {
            log.reset(nextLsn);
            assertThatThrownBy(before::next).isInstanceOf(IllegalStateException.class);
          }
          assertThat(log.firstLsn()).isEqualTo(nextLsn);
          assertThat(log.lastLsn()).isEqualTo(nextLsn - 1);
          assertThat(log.flushedLsn()).isEqualTo(nextLsn - 1);
          assertThat(Payloads.readAll(log, nextLsn)).isEmpty();
          assertThat(log.append(Payloads.text("first after reset"), 9)).isEqualTo(nextLsn);
          assertThat(SegmentFiles.segments(vfs)).hasSize(1);
        }
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
          assertThat(log.firstLsn()).isEqualTo(nextLsn);
          assertThat(Payloads.readAll(log, nextLsn)).extracting(Payloads.Read::text)
              .containsExactly("first after reset");
          fill(log, nextLsn + 500); // and it rotates on
          assertThat(Payloads.readAll(log, nextLsn)).hasSize(501);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void resetRefusesAnLsnBelowOne(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      assertThatThrownBy(() -> log.reset(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nextLsn (0)");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aResetMadeDurableIsFinishedByRecovery(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 500);
      }
      new LogMeta(300, 300).write(vfs); // as if a reset to 300 crashed right after its first step
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.firstLsn()).isEqualTo(300);
        assertThat(log.lastLsn()).isEqualTo(299);
        assertThat(log.append(Payloads.text("x"), 0)).isEqualTo(300);
      }
      // the reset finished; the clean close left its marker
      assertThat(LogMeta.read(vfs).withoutCleanClose()).isEqualTo(new LogMeta(300, 0));
      assertThat(SegmentFiles.segments(vfs)).containsExactly(SegmentNames.segmentName(300));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aDamagedMetaFileIsCorruption(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 100);
        log.truncateBefore(50);
      }
      try (VfsFile meta = vfs.open(SegmentNames.META, Vfs.OpenMode.EXISTING)) {
        meta.write(20, ByteBuffer.wrap(new byte[] {1}));
        meta.flush();
      }
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(SegmentNames.META)
          .hasMessageContaining("checksum");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLogicalFirstLsnPastTheEndOfTheLogIsCorruption(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 100);
      }
      new LogMeta(200, 0).write(vfs); // records 100 to 198 were once there
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("records missing?");
    }
  }
}
