package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recovery tells a torn tail (cut off for good) from corruption (reported, nothing changed), on
 * files damaged the way a crash or a disk damages them.
 */
class RecoveryTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static WalConfig config() {
    return WriteAheadLogTest.small();
  }

  /** Appends {@code count} records, each durable (one batch each), and closes. */
  private static void appendDurably(Vfs vfs, int count) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      for (int i = 1; i <= count; i++) {
        log.append(Payloads.bytes(i, 90), i);
      }
    }
  }

  private static void assertRecords(Vfs vfs, int count, String... appendedAfter)
      throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      assertThat(records).hasSize(count + appendedAfter.length);
      for (int i = 0; i < count; i++) {
        assertThat(records.get(i).payload()).isEqualTo(Payloads.bytes(i + 1, 90));
      }
      for (int i = 0; i < appendedAfter.length; i++) {
        assertThat(records.get(count + i).text()).isEqualTo(appendedAfter[i]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aTornLastRecordIsCutAtEveryByteOffsetAndNeverComesBack(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendDurably(vfs, 5);
      String segment = SegmentFiles.lastSegment(vfs);
      byte[] original = SegmentFiles.read(vfs, segment);
      long[] last = SegmentFiles.recordRange(vfs, segment, 5);
      long payloadEnd = last[0] + WalFormat.RECORD_HEADER_BYTES + 90; // then alignment bytes
      for (long tornAt = last[0]; tornAt < payloadEnd; tornAt++) {
        byte[] torn = original.clone();
        // The batch's bytes from tornAt on never reached the disk.
        Arrays.fill(torn, (int) tornAt, (int) Layout.alignUp(last[1] + 32, 512), (byte) 0);
        SegmentFiles.write(vfs, segment, torn);
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
          assertThat(log.lastLsn()).as("torn at %d", tornAt).isEqualTo(4);
          assertThat(log.append(Payloads.text("after repair " + tornAt), 0)).isEqualTo(5);
        }
        assertRecords(vfs, 4, "after repair " + tornAt);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void garbageInPlaceOfTheLastRecordIsATornTail(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendDurably(vfs, 5);
      String segment = SegmentFiles.lastSegment(vfs);
      byte[] original = SegmentFiles.read(vfs, segment);
      long[] last = SegmentFiles.recordRange(vfs, segment, 5);
      long payloadEnd = last[0] + WalFormat.RECORD_HEADER_BYTES + 90;
      for (long tornAt = last[0]; tornAt < payloadEnd; tornAt += 7) {
        byte[] torn = original.clone();
        byte[] garbage = Payloads.bytes(tornAt, (int) (last[1] - tornAt));
        System.arraycopy(garbage, 0, torn, (int) tornAt, garbage.length);
        SegmentFiles.write(vfs, segment, torn);
        try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
          assertThat(log.lastLsn()).as("garbage from %d", tornAt).isEqualTo(4);
        }
        assertRecords(vfs, 4);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFlippedBitFollowedByIntactRecordsIsCorruptionAndChangesNothing(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendDurably(vfs, 10);
      String segment = SegmentFiles.lastSegment(vfs);
      long[] fifth = SegmentFiles.recordRange(vfs, segment, 5);
      byte[] bytes = SegmentFiles.read(vfs, segment);
      bytes[(int) fifth[0] + 40] ^= 0x10;
      SegmentFiles.write(vfs, segment, bytes);
      Map<String, byte[]> before = SegmentFiles.snapshot(vfs);
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(segment)
          .hasMessageContaining("at offset " + fifth[0])
          .hasMessageContaining("LSN 6");
      Map<String, byte[]> after = SegmentFiles.snapshot(vfs);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      before.forEach((name, content) -> assertThat(after.get(name)).isEqualTo(content));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void damageInASegmentFollowedByANewerSegmentIsCorruption(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (int i = 1; i <= 2000; i++) {
          log.appendNoWait(Payloads.bytes(i, 90), i);
        }
      }
      List<String> segments = SegmentFiles.segments(vfs);
      assertThat(segments).hasSizeGreaterThan(2);
      String first = segments.get(0);
      long[] last = SegmentFiles.recordRange(vfs, first, SegmentNames.parseSegmentName(segments.get(1)) - 1);
      byte[] bytes = SegmentFiles.read(vfs, first);
      Arrays.fill(bytes, (int) last[0], bytes.length, (byte) 0); // as a torn tail would look
      SegmentFiles.write(vfs, first, bytes);
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(first)
          .hasMessageContaining("followed by newer");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anIntactCopyOfTheDamagedRecordLaterInTheSegmentIsCorruptionNotATornTail(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendDurably(vfs, 5);
      String segment = SegmentFiles.lastSegment(vfs);
      long[] fifth = SegmentFiles.recordRange(vfs, segment, 5);
      byte[] bytes = SegmentFiles.read(vfs, segment);
      // A misdirected write: record 5's bytes landed two blocks further, and its place holds
      // garbage. No crash leaves a record after the place where it belonged.
      int elsewhere = (int) Layout.alignUp(fifth[1], 512) + 1024;
      System.arraycopy(bytes, (int) fifth[0], bytes, elsewhere, (int) (fifth[1] - fifth[0]));
      Arrays.fill(bytes, (int) fifth[0] + 8, (int) fifth[0] + 24, (byte) 0x5A);
      SegmentFiles.write(vfs, segment, bytes);
      Map<String, byte[]> before = SegmentFiles.snapshot(vfs);
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(segment)
          .hasMessageContaining("at offset " + fifth[0])
          .hasMessageContaining("offset " + elsewhere + " by an intact record with LSN 5")
          .hasMessageContaining("misdirected write?");
      Map<String, byte[]> after = SegmentFiles.snapshot(vfs);
      before.forEach((name, content) -> assertThat(after.get(name)).isEqualTo(content));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void zerosInPlaceOfABatchInAnOlderSegmentAreReportedInThatSegmentWhereTheyStart(
      String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (int i = 1; i <= 1000; i++) {
          log.append(Payloads.bytes(i, 90), i); // one batch each
        }
      }
      List<String> segments = SegmentFiles.segments(vfs);
      assertThat(segments).hasSizeGreaterThan(1);
      String first = segments.get(0);
      long[] tenth = SegmentFiles.recordRange(vfs, first, 10);
      long[] eleventh = SegmentFiles.recordRange(vfs, first, 11);
      byte[] bytes = SegmentFiles.read(vfs, first);
      // Record 10's whole batch reads as zeros: a clean end, were it not for what follows.
      Arrays.fill(bytes, (int) tenth[0], (int) eleventh[0], (byte) 0);
      SegmentFiles.write(vfs, first, bytes);
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .satisfies(e -> {
            CorruptLogException corrupt = (CorruptLogException) e;
            assertThat(corrupt.segment()).isEqualTo(first);
            assertThat(corrupt.offset()).isEqualTo(tenth[0]);
          })
          .hasMessageContaining("zeros where LSN 10 was expected")
          .hasMessageContaining("non-zero bytes at offset " + eleventh[0])
          .hasMessageContaining("starts at LSN " + SegmentNames.parseSegmentName(segments.get(1)));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aMissingSegmentIsReportedWhereTheSegmentBeforeItEnds(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (int i = 1; i <= 2000; i++) {
          log.appendNoWait(Payloads.bytes(i, 90), i);
        }
      }
      List<String> segments = SegmentFiles.segments(vfs);
      assertThat(segments).hasSizeGreaterThan(2);
      vfs.delete(segments.get(1));
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining(segments.get(0))
          .hasMessageContaining("the next segment " + segments.get(2))
          .hasMessageContaining("a segment missing?");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLostSectorInsideTheLastBatchIsATornTailAndItsLaterRecordsNeverComeBack(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        log.append(Payloads.bytes(1, 90), 1);
        for (int i = 2; i <= 30; i++) {
          log.appendNoWait(Payloads.bytes(i, 90), i); // one batch, written by close
        }
      }
      String segment = SegmentFiles.lastSegment(vfs);
      long[] tenth = SegmentFiles.recordRange(vfs, segment, 10);
      byte[] bytes = SegmentFiles.read(vfs, segment);
      Arrays.fill(bytes, (int) tenth[0], (int) tenth[1], (byte) 0); // records 11.. stay intact
      SegmentFiles.write(vfs, segment, bytes);
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        assertThat(log.lastLsn()).isEqualTo(9);
        for (int i = 0; i < 3; i++) {
          log.append(Payloads.text("new " + i), 0);
        }
      }
      assertRecords(vfs, 9, "new 0", "new 1", "new 2");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aDamagedSegmentHeaderIsCorruption(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      appendDurably(vfs, 3);
      String segment = SegmentFiles.lastSegment(vfs);
      byte[] bytes = SegmentFiles.read(vfs, segment);
      bytes[WalFormat.HEADER_SALT_OFFSET] ^= 1;
      SegmentFiles.write(vfs, segment, bytes);
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, config()))
          .isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("segment header checksum mismatch");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLogReopensWholeUnderASmallerMaximumRecordSize(String backend) throws IOException {
    WalConfig large = config();
    WalConfig none = WalConfig.builder().segmentBytes(64 << 10).bufferBytes(8 << 10).maxRecordBytes(0).build();
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, large)) {
        log.append(Payloads.bytes(1, 30_000), 1);
        log.append(Payloads.bytes(2, 20_000), 2);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, none)) {
        assertThat(log.lastLsn()).isEqualTo(2);
        log.append(new byte[0], 3);
        assertThat(Payloads.readAll(log, 1)).extracting(r -> r.payload().length).containsExactly(30_000, 20_000, 0);
      }
    }
  }
}
