package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sparse index: one record per stride, floor lookups, copies cut at an LSN. */
class SegmentIndexTest {
  @Test
  void itIndexesTheFirstRecordAndThenOneRecordPerStride() {
    SegmentIndex index = new SegmentIndex(100, 1 << 20);
    long offset = 4096;
    for (long lsn = 100; lsn < 1100; lsn++) {
      index.onRecord(lsn, offset);
      offset += 1000;
    }
    // 1,000,000 bytes of records, a stride of 16 KiB: about 61 entries
    assertThat(index.size()).isBetween(55, 65);
    assertThat(index.floor(99)).isNull();
    assertThat(index.floor(100)).containsExactly(100, 4096);
    long[] floor = index.floor(1000);
    assertThat(floor[0]).isLessThanOrEqualTo(1000).isGreaterThan(1000 - 18);
    assertThat(floor[1]).isEqualTo(4096 + (floor[0] - 100) * 1000);
  }

  @Test
  void itGrowsPastTheSizeItWasMadeFor() {
    SegmentIndex index = new SegmentIndex(1, 8192);
    for (long lsn = 1; lsn <= 100; lsn++) {
      index.onRecord(lsn, lsn * SegmentIndex.STRIDE_BYTES);
    }
    assertThat(index.size()).isEqualTo(100);
    assertThat(index.floor(77)).containsExactly(77, 77L * SegmentIndex.STRIDE_BYTES);
  }

  @Test
  void aCopyUpToAnLsnForgetsTheEntriesAfterIt() {
    SegmentIndex index = new SegmentIndex(1, 1 << 20);
    for (long lsn = 1; lsn <= 10; lsn++) {
      index.onRecord(lsn, lsn * SegmentIndex.STRIDE_BYTES);
    }
    SegmentIndex copy = index.copyUpTo(5, 1 << 20);
    assertThat(copy.size()).isEqualTo(5);
    assertThat(copy.floor(9)).containsExactly(5, 5L * SegmentIndex.STRIDE_BYTES);
    assertThat(index.size()).isEqualTo(10);
  }
}
