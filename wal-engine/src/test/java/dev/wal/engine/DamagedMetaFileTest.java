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
 * Damaged and hostile meta files as plain tests: LSN fields at the edges and a reset that
 * disagrees with the first LSN, with what the log must do with them: refuse the file with nothing
 * changed.
 */
class DamagedMetaFileTest {
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
