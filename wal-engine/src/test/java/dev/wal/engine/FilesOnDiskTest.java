package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opening a directory that holds files the log did not write: a precise error naming the file,
 * or, where harmless, the file is left alone and listed in the {@link RecoveryReport}. Either way
 * nothing there is deleted or rewritten.
 */
class FilesOnDiskTest {
  private static final String SEGMENT_1 = SegmentNames.segmentName(1);
  private static final String SEGMENT_4 = SegmentNames.segmentName(4);

  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static WalConfig config() {
    return WriteAheadLogTest.small();
  }

  /** Writes records 1 to 3, durably, into segment 1. */
  private static void appendThree(Vfs vfs) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      for (int i = 1; i <= 3; i++) {
        log.append(Payloads.bytes(i, 50), i);
      }
    }
  }

  private static void plant(Vfs vfs, String name, byte[] content) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.CREATE_NEW)) {
      file.write(0, ByteBuffer.wrap(content));
      file.flush();
    }
  }

  /** Opens the log, expecting corruption; checks that no file changed. */
  private static CorruptLogException openFails(Vfs vfs) throws IOException {
    Map<String, byte[]> before = SegmentFiles.snapshot(vfs);
    CorruptLogException e =
        catchThrowableOfType(CorruptLogException.class, () -> WriteAheadLog.open(vfs, config()));
    assertThat(e).as("opening should fail").isNotNull();
    assertThat(SegmentFiles.snapshot(vfs)).containsExactlyEntriesOf(before);
    return e;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void filesWithOtherNamesAreLeftAloneAndListedInTheRecoveryReport(String backend)
      throws IOException {
    List<String> foreign = List.of("00000000000000000000.wal", "00000000000000000001.WAL",
        "00000000000000000001.wal.bak", "0000000000000000001.wal", "notes.txt");
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      for (String name : foreign) {
        plant(vfs, name, ("not a segment: " + name).getBytes(StandardCharsets.UTF_8));
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.recoveryReport().ignoredFiles()).containsExactlyElementsOf(foreign);
        assertThat(log.recoveryReport().repairedSegment()).isEmpty();
        assertThat(Payloads.readAll(log, 1)).hasSize(3);
        log.append(Payloads.text("four"), 4);
      }
      for (String name : foreign) {
        assertThat(new String(SegmentFiles.read(vfs, name), StandardCharsets.UTF_8))
            .isEqualTo("not a segment: " + name);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLeftoverSpareSegmentIsTheLogsOwnAndNotReported(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      if (!vfs.exists(SegmentNames.SPARE)) {
        plant(vfs, SegmentNames.SPARE, new byte[4096]);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.recoveryReport().ignoredFiles()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aZeroLengthSegmentIsCorruptionNamingIt(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      plant(vfs, SEGMENT_4, new byte[0]);
      CorruptLogException e = openFails(vfs);
      assertThat(e.segment()).isEqualTo(SEGMENT_4);
      assertThat(e.offset()).isZero();
      assertThat(e).hasMessageContaining("segment of 0 bytes is shorter than its header");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aZeroLengthSegmentAloneIsCorruptionToo(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      plant(vfs, SEGMENT_1, new byte[0]);
      CorruptLogException e = openFails(vfs);
      assertThat(e.segment()).isEqualTo(SEGMENT_1);
      assertThat(vfs.list()).doesNotContain(SegmentNames.SPARE);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aSegmentOfAnotherFormatVersionIsRefusedNamingTheVersion(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      byte[] bytes = SegmentFiles.read(vfs, SEGMENT_1);
      int next = WalFormat.FORMAT_VERSION + 1;
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(
          WalFormat.HEADER_VERSION_OFFSET, next);
      LogImages.reseal(bytes); // a header the next version's writer could have written
      SegmentFiles.write(vfs, SEGMENT_1, bytes);
      CorruptLogException e = openFails(vfs);
      assertThat(e.segment()).isEqualTo(SEGMENT_1);
      assertThat(e.offset()).isEqualTo(WalFormat.HEADER_VERSION_OFFSET);
      assertThat(e).hasMessageStartingWith("format version " + next + " where this library reads "
          + WalFormat.FORMAT_VERSION + " in");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFileWithAnotherMagicUnderASegmentNameIsRefusedAsNotASegment(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      plant(vfs, SEGMENT_4, "#!/bin/sh\necho a script, not a segment\n".repeat(100)
          .getBytes(StandardCharsets.UTF_8));
      CorruptLogException e = openFails(vfs);
      assertThat(e.segment()).isEqualTo(SEGMENT_4);
      assertThat(e.offset()).isZero();
      assertThat(e).hasMessageContaining("bad magic").hasMessageContaining("not a log segment?");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aSegmentWhoseNameAndHeaderDisagreeIsRefusedNamingBoth(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      plant(vfs, SEGMENT_4, SegmentFiles.read(vfs, SEGMENT_1));
      CorruptLogException e = openFails(vfs);
      assertThat(e.segment()).isEqualTo(SEGMENT_4);
      assertThat(e.offset()).isEqualTo(WalFormat.HEADER_FIRST_LSN_OFFSET);
      assertThat(e).hasMessageContaining("header says first LSN 1 but the file name says 4");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aCutTornTailIsReportedWithItsSegmentAndOffset(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendThree(vfs);
      long[] third = SegmentFiles.recordRange(vfs, SEGMENT_1, 3);
      byte[] bytes = SegmentFiles.read(vfs, SEGMENT_1);
      bytes[(int) third[0] + WalFormat.RECORD_HEADER_BYTES] ^= 1; // its payload
      SegmentFiles.write(vfs, SEGMENT_1, bytes);
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.lastLsn()).isEqualTo(2);
        assertThat(log.recoveryReport().repairedSegment()).contains(SEGMENT_1);
        assertThat(log.recoveryReport().repairOffset()).isEqualTo(third[0]);
        assertThat(log.recoveryReport().ignoredFiles()).isEmpty();
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.recoveryReport().repairedSegment()).isEmpty();
        assertThat(log.recoveryReport().repairOffset()).isEqualTo(-1);
      }
    }
  }
}
