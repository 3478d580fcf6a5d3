package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wal.CorruptLogException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged and hostile meta files as plain tests: LSN fields at the edges, a reset that disagrees
 * with the first LSN, and clean-close markers that do not describe the newest segment (another
 * segment, another size, a last LSN past the end or before the start, a damaged tail behind a
 * marker that matches), with what the log must do with them: refuse the file with nothing
 * changed, or distrust the marker and rewrite the newest segment.
 */
class DamagedMetaFileTest {
  /** {@return a storage holding the image with {@code marker} in its meta file} */
  private static SparseVfs withMarker(LogImages.Image image, LogMeta.CleanClose marker) {
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    image.files().forEach(vfs::put);
    vfs.put(SegmentNames.META, CleanCloseMarkers.metaWith(image, marker));
    return vfs;
  }

  /**
   * Opens the log, asserting that the open rewrote the newest segment (a rename onto its name)
   * and cleared the marker, and that the records of the image read back.
   */
  private static void assertRewrittenAndWhole(SparseVfs vfs, LogImages.Image image)
      throws IOException {
    List<String> segments = SegmentFiles.segmentNames(image.files().keySet());
    String newest = segments.get(segments.size() - 1);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(vfs.renameTargets()).contains(newest);
      assertThat(CleanCloseMarkers.markerIn(vfs.snapshot().get(SegmentNames.META))).isNull();
      assertThat(log.lastLsn()).isEqualTo(image.payloads().size());
      assertThat(Payloads.readAll(log, log.firstLsn())).hasSize(
          (int) (log.lastLsn() - log.firstLsn() + 1));
    }
  }

  @Test
  void aLogWhoseMarkerMatchesOpensWithoutChangingAnyFile() throws IOException {
    LogImages.Image image = LogImages.shape(2); // three segments
    SparseVfs vfs = withMarker(image, CleanCloseMarkers.truth(image));
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.lastLsn()).isEqualTo(image.payloads().size());
      assertThat(vfs.changes()).isZero();
    }
  }

  @Test
  void aMarkerNamingAnOlderSegmentIsNotTrustedAndTheNewestSegmentIsRewritten()
      throws IOException {
    LogImages.Image image = LogImages.shape(2);
    LogMeta.CleanClose truth = CleanCloseMarkers.truth(image);
    long oldest = SegmentNames.parseSegmentName(
        SegmentFiles.segmentNames(image.files().keySet()).get(0));
    assertRewrittenAndWhole(withMarker(image,
        new LogMeta.CleanClose(truth.lastLsn(), oldest, truth.segmentBytes())), image);
  }

  @ParameterizedTest
  @ValueSource(longs = {-512, -1, 1, 512, 1L << 40})
  void aMarkerWithAnotherSizeIsNotTrustedAndTheNewestSegmentIsRewritten(long difference)
      throws IOException {
    LogImages.Image image = LogImages.shape(0);
    LogMeta.CleanClose truth = CleanCloseMarkers.truth(image);
    assertRewrittenAndWhole(withMarker(image, new LogMeta.CleanClose(
        truth.lastLsn(), truth.segmentFirstLsn(), truth.segmentBytes() + difference)), image);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 1L << 40})
  void aMarkerWhoseLastLsnIsPastTheEndIsNotTrustedAndNoRecordIsInvented(long past)
      throws IOException {
    LogImages.Image image = LogImages.shape(2);
    LogMeta.CleanClose truth = CleanCloseMarkers.truth(image);
    assertRewrittenAndWhole(withMarker(image, new LogMeta.CleanClose(
        truth.lastLsn() + past, truth.segmentFirstLsn(), truth.segmentBytes())), image);
  }

  @Test
  void aMarkerWhoseLastLsnIsBeforeItsSegmentsStartIsRefusedAndNothingChanges() {
    LogImages.Image image = LogImages.shape(2);
    LogMeta.CleanClose truth = CleanCloseMarkers.truth(image);
    SparseVfs vfs = withMarker(image, new LogMeta.CleanClose(
        truth.segmentFirstLsn() - 2, truth.segmentFirstLsn(), truth.segmentBytes()));
    Map<String, byte[]> before = vfs.snapshot();

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(SegmentNames.META);
    assertThat(e).hasMessageContaining("impossible clean-close marker");
    assertThat(vfs.changes()).isZero();
    assertThat(vfs.snapshot()).containsOnlyKeys(before.keySet());
  }

  @Test
  void aMarkerThatMatchesOverADamagedTailIsNotTrustedAndTheTailIsCut() throws IOException {
    LogImages.Image image = LogImages.shape(0); // three single-record batches
    List<String> segments = SegmentFiles.segmentNames(image.files().keySet());
    String newest = segments.get(segments.size() - 1);
    Map<String, byte[]> files = new TreeMap<>(image.files());
    byte[] bytes = files.get(newest).clone();
    List<Integer> starts = LogImages.recordStarts(bytes);
    int lastRecord = starts.get(starts.size() - 2); // record 3, before its trailer
    bytes[lastRecord + WalFormat.RECORD_HEADER_BYTES + 7] ^= 0x10; // its payload: a torn write
    files.put(newest, bytes); // the same size: the marker matches the name, size and last LSN
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    files.forEach(vfs::put);
    assertThat(CleanCloseMarkers.markerIn(files.get(SegmentNames.META)))
        .isEqualTo(new LogMeta.CleanClose(3, 1, bytes.length));

    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(log.recoveryReport().repairedSegment()).contains(newest);
      assertThat(vfs.renameTargets()).contains(newest);
      assertThat(log.lastLsn()).isEqualTo(2);
      assertThat(log.append(Payloads.text("three again"), 3)).isEqualTo(3);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::lsn)
          .containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void aLogClosedCleanlyOnSmallerSectorsIsRewrittenSoThatItsNextBatchFollowsNoGap()
      throws IOException {
    LogImages.Image image = LogImages.shape(0); // 512-byte blocks; its marker matches
    SparseVfs larger = new SparseVfs(4096); // the log copied to a disk of 4096-byte sectors
    image.files().forEach(larger::put);
    String newest = SegmentNames.segmentName(1);
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(larger.renameTargets()).contains(newest);
      assertThat(log.append(Payloads.text("four"), 4)).isEqualTo(4);
    }
    try (WriteAheadLog log = WriteAheadLog.open(larger, image.config())) {
      assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::lsn)
          .containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, WalFormat.META_BYTES - 1, WalFormat.META_BYTES + 1, 1L << 31, 1L << 40})
  void aMetaFileOfAnotherSizeIsRefusedNamingItsSizeWithoutReadingIt(long size) {
    LogImages.Image image = LogImages.shape(0);
    SparseVfs vfs = new SparseVfs(image.sectorSize());
    image.files().forEach(vfs::put);
    byte[] meta = image.files().get(SegmentNames.META);
    vfs.put(SegmentNames.META, Arrays.copyOf(meta, (int) Math.min(size, meta.length)), size);

    CorruptLogException e = catchThrowableOfType(
        CorruptLogException.class, () -> WriteAheadLog.open(vfs, image.config()));

    assertThat(e).isNotNull();
    assertThat(e.segment()).isEqualTo(SegmentNames.META);
    assertThat(e).hasMessageContaining("meta file of " + size + " bytes");
    assertThat(vfs.bytesRead()).isZero();
    assertThat(vfs.changes()).isZero();
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
