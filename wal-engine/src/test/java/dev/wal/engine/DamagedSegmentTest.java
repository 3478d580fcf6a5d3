package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wal.CorruptLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged and hostile segment files as plain tests: each input the fuzzer found that broke
 * recovery or the reader, and the length, LSN and size fields at the edges (2^31, 2^63, files of
 * gigabytes), with what the log must do with them.
 */
class DamagedSegmentTest {
  private static Map<String, byte[]> files(LogImages.Image image) {
    Map<String, byte[]> files = new TreeMap<>();
    image.files().forEach((name, bytes) -> files.put(name, bytes.clone()));
    return files;
  }

  private static List<String> segments(Map<String, byte[]> files) {
    return files.keySet().stream().filter(name -> SegmentNames.parseSegmentName(name) > 0)
        .sorted().toList();
  }

  private static String onlySegment(Map<String, byte[]> files) {
    assertThat(segments(files)).hasSize(1);
    return segments(files).get(0);
  }

  @Test
  void aLastRecordWhoseAlignmentBytesAreCutOffByTheEndOfTheFileIsATornTail() throws IOException {
    LogImages.Image image = LogImages.shape(4); // not preallocated: the file ends with the log
    Map<String, byte[]> files = files(image);
    String name = onlySegment(files);
    List<Integer> starts = LogImages.recordStarts(files.get(name));
    int lastRecord = starts.get(starts.size() - 2); // the last data record, before its trailer
    int payloadEnd = lastRecord + WalFormat.RECORD_HEADER_BYTES + 100; // then 4 alignment bytes
    files.put(name, Arrays.copyOf(files.get(name), payloadEnd));

    SparseVfs vfs = new SparseVfs(image.sectorSize());
    files.forEach(vfs::put);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.lastLsn()).isEqualTo(3);
      assertThat(log.append(Payloads.text("after the cut"), 0)).isEqualTo(4);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::lsn)
          .containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void junkShorterThanAWordPastTheEndOfTheNewestSegmentIsCutBeforeTheLogRotatesPastIt()
      throws IOException {
    LogImages.Image image = LogImages.shape(6); // 4096-byte sectors: each segment is full
    Map<String, byte[]> files = files(image);
    List<String> segments = segments(files);
    String newest = segments.get(segments.size() - 1);
    byte[] bytes = files.get(newest);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
    Arrays.fill(longer, bytes.length, longer.length, (byte) 0x5A);
    files.put(newest, longer);

    SparseVfs vfs = new SparseVfs(image.sectorSize());
    files.forEach(vfs::put);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.lastLsn()).isEqualTo(3);
      assertThat(log.append(Payloads.text("in a new segment"), 0)).isEqualTo(4);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::lsn)
          .containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void aLogWrittenOn512ByteSectorsAndReopenedOn4096ByteSectorsKeepsEveryAppendedRecord()
      throws IOException {
    LogImages.Image image = LogImages.shape(0); // three batches of 512 bytes after the header
    SparseVfs larger = new SparseVfs(4096);
    image.files().forEach(larger::put);
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(log.lastLsn()).isEqualTo(3);
      assertThat(log.append(Payloads.text("four"), 4)).isEqualTo(4);
      assertThat(log.append(Payloads.text("five"), 5)).isEqualTo(5);
    }
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::lsn)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void anEmptySegmentWrittenOn512ByteSectorsIsMadeAnewWhenReopenedOn4096ByteSectors()
      throws IOException {
    LogImages.Image image = LogImages.shape(5); // a new log: one segment, no record
    SparseVfs larger = new SparseVfs(4096);
    image.files().forEach(larger::put);
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(log.append(Payloads.text("one"), 1)).isEqualTo(1);
    }
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::text).containsExactly("one");
      assertThat(SegmentFiles.segments(larger)).containsExactly(SegmentNames.segmentName(1));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0x3FFF_FFFF, (1 << 30) - 100})
  void aLengthFieldOverAnySegmentsCapacityInAFileOfAGigabyteIsCorruptionNotAnAllocation(
      int length) throws IOException {
    LogImages.Image image = LogImages.shape(2); // three segments
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    image.files().forEach(vfs::put);
    String oldest = SegmentNames.segmentName(1);
    byte[] bytes = image.files().get(oldest).clone();
    int first = LogImages.recordStarts(bytes).get(0);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(first + WalFormat.RECORD_LENGTH_OFFSET, length);
    LogImages.reseal(bytes);
    vfs.put(oldest, bytes, SegmentScanner.LARGEST_SEGMENT_BYTES); // zeros up to 1 GiB + 4 KiB

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(oldest);
    assertThat(e.offset()).isEqualTo(first);
    assertThat(vfs.largestBuffer()).isLessThanOrEqualTo(Recovery.CHUNK_BYTES);
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE - 1, Long.MAX_VALUE, (1L << 62) + 1})
  void aSegmentNamedNearTheEndOfTheLsnSpaceIsRefusedBeforeAnAppendOverflowsIt(long firstLsn) {
    LogImages.Image image = LogImages.shape(5); // one segment, no record
    byte[] bytes = image.files().values().iterator().next().clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(WalFormat.HEADER_FIRST_LSN_OFFSET, firstLsn);
    LogImages.reseal(bytes); // a valid header: only the LSN is absurd
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    String name = SegmentNames.segmentName(firstLsn);
    vfs.put(name, bytes);

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(name);
    assertThat(e).hasMessageContaining("first LSN " + firstLsn);
    assertThat(vfs.snapshot().get(name)).isEqualTo(bytes);
  }

  @Test
  void aSegmentAtTheLargestFirstLsnOpensAndAppends() throws IOException {
    LogImages.Image image = LogImages.shape(5);
    byte[] bytes = image.files().values().iterator().next().clone();
    long firstLsn = SegmentNames.MAX_FIRST_LSN;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(WalFormat.HEADER_FIRST_LSN_OFFSET, firstLsn);
    LogImages.reseal(bytes);
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    vfs.put(SegmentNames.segmentName(firstLsn), bytes);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.append(Payloads.text("one"), 1)).isEqualTo(firstLsn);
    }
  }

  @Test
  void aSegmentFileLargerThanAnyLogWritesIsRefusedWithoutReadingIt() throws IOException {
    LogImages.Image image = LogImages.shape(0);
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    String name = SegmentNames.segmentName(1);
    vfs.put(name, image.files().get(name), 1L << 40); // a sparse terabyte

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(name);
    assertThat(e)
        .hasMessageContaining("segment of 1099511627776 bytes, larger than any log writes");
    assertThat(vfs.bytesRead()).isZero();
    assertThat(vfs.size(name)).isEqualTo(1L << 40);
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, Long.MAX_VALUE, -1})
  void aResealedRecordWhoseLsnFieldIsHugeIsCorruptionInAnOlderSegment(long lsnField) {
    LogImages.Image image = LogImages.shape(2); // three segments
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    image.files().forEach(vfs::put);
    String oldest = SegmentNames.segmentName(1);
    byte[] bytes = image.files().get(oldest).clone();
    int second = LogImages.recordStarts(bytes).get(2); // after record 1 and its trailer
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(second + WalFormat.RECORD_LSN_OFFSET, lsnField);
    LogImages.reseal(bytes); // its checksum matches: only the LSN is wrong
    vfs.put(oldest, bytes);

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(oldest);
    assertThat(e.offset()).isEqualTo(second);
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, (1L << 62) + 1})
  void aMetaFileWhoseResetOrFirstLsnIsPastTheLsnSpaceIsRefusedAndNoSegmentIsDeleted(long lsn)
      throws IOException {
    LogImages.Image image = LogImages.shape(0);
    for (boolean reset : new boolean[] {true, false}) {
      SparseVfs vfs = new SparseVfs(image.sectorSize());
      image.files().forEach(vfs::put);
      byte[] meta = LogImages.meta(
          WalFormat.META_MAGIC, WalFormat.FORMAT_VERSION, reset ? 1 : lsn, reset ? lsn : 0, true);
      vfs.put(SegmentNames.META, meta);
      Map<String, byte[]> before = vfs.snapshot();

      CorruptLogException e = catchThrowableOfType(
          CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

      assertThat(e).as("reset %s", reset).isNotNull();
      assertThat(e.segment()).isEqualTo(SegmentNames.META);
      assertThat(e).hasMessageContaining(Long.toString(lsn));
      assertThat(vfs.snapshot()).containsOnlyKeys(before.keySet());
    }
  }

  @Test
  void resetRefusesAnLsnPastTheLsnSpaceALogMayUse() throws IOException {
    LogImages.Image image = LogImages.shape(0);
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThatThrownBy(() -> log.reset(SegmentNames.MAX_FIRST_LSN + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("nextLsn (" + (SegmentNames.MAX_FIRST_LSN + 1) + ")");
      log.reset(SegmentNames.MAX_FIRST_LSN);
      assertThat(log.append(Payloads.text("one"), 1)).isEqualTo(SegmentNames.MAX_FIRST_LSN);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.lastLsn()).isEqualTo(SegmentNames.MAX_FIRST_LSN);
    }
  }

  @Test
  void aTornTailIsNotCutWhenTheMetaFileThenFailsTheOpen() throws IOException {
    LogImages.Image image = LogImages.shape(8); // truncateBefore(6): a meta file, first LSN 6
    Map<String, byte[]> files = new TreeMap<>(image.files());
    assertThat(files).containsKey(SegmentNames.META);
    List<String> segments = SegmentFiles.segmentNames(files.keySet());
    String oldest = segments.get(0);
    for (String newer : segments.subList(1, segments.size())) {
      files.remove(newer); // the log now ends before the logical first LSN
    }
    byte[] bytes = files.get(oldest);
    int secondRecord = LogImages.recordStarts(bytes).get(2);
    files.put(oldest, Arrays.copyOf(bytes, secondRecord + 100)); // and has a torn tail
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    files.forEach(vfs::put);
    Map<String, byte[]> before = vfs.snapshot();

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e).hasMessageContaining("meta file says");
    assertThat(vfs.snapshot()).containsOnlyKeys(before.keySet());
    before.forEach((name, content) -> assertThat(vfs.snapshot().get(name)).as(name)
        .isEqualTo(content));
  }

  @Test
  void aMetaFileWhoseResetAndFirstLsnDisagreeIsRefusedAndNoSegmentIsDeleted() throws IOException {
    LogImages.Image image = LogImages.shape(0); // LSNs 1 to 3
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    image.files().forEach(vfs::put);
    vfs.put(SegmentNames.META, LogImages.meta(
        WalFormat.META_MAGIC, WalFormat.FORMAT_VERSION, SegmentNames.MAX_FIRST_LSN - 2, 3, true));
    Map<String, byte[]> before = vfs.snapshot();

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(SegmentNames.META);
    assertThat(e).hasMessageContaining("a reset to LSN 3 with first LSN");
    assertThat(vfs.snapshot()).containsOnlyKeys(before.keySet());
  }
}
