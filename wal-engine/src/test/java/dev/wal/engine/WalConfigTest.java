package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WalConfigTest {
  @Test
  void defaultsAreSixtyFourMibSegmentsOneMibBuffersAndTwoMillisecondFlushes() {
    WalConfig config = WalConfig.defaults();
    assertThat(config.segmentBytes()).isEqualTo(64L << 20);
    assertThat(config.bufferBytes()).isEqualTo(1 << 20);
    assertThat(config.maxRecordBytes()).isEqualTo(8 << 20);
    assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(2));
    assertThat(config.preallocate()).isTrue();
  }

  @Test
  void aSegmentSmallerThanAHeaderBlockAndARecordBlockIsRefusedByName() {
    assertThatThrownBy(() -> WalConfig.builder().segmentBytes(4096).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("segmentBytes (4096)");
  }

  @Test
  void aSegmentSizeThatIsNotAMultipleOf4096IsRefusedByName() {
    assertThatThrownBy(() -> WalConfig.builder().segmentBytes(100_000).build())
        .hasMessageStartingWith("segmentBytes (100000) must be a multiple of 4096");
  }

  @Test
  void aBufferThatLeavesNoRoomForTheSegmentHeaderIsRefusedByName() {
    assertThatThrownBy(
            () -> WalConfig.builder().segmentBytes(8192).bufferBytes(8192).maxRecordBytes(0).build())
        .hasMessageStartingWith("bufferBytes (8192) must be at most segmentBytes (8192)");
    assertThatThrownBy(() -> WalConfig.builder().bufferBytes(1000).build())
        .hasMessageStartingWith("bufferBytes (1000)");
  }

  @Test
  void aMaximumRecordLargerThanASegmentCanHoldIsRefusedByName() {
    assertThatThrownBy(
            () -> WalConfig.builder().segmentBytes(64 << 10).bufferBytes(4096).maxRecordBytes(60_000).build())
        .hasMessageStartingWith("maxRecordBytes (60000) must be in [0, 57280]");
    assertThatThrownBy(() -> WalConfig.builder().maxRecordBytes(-1).build())
        .hasMessageStartingWith("maxRecordBytes (-1)");
  }

  @Test
  void theLargestAllowedRecordFitsInASegment() {
    WalConfig config =
        WalConfig.builder().segmentBytes(64 << 10).bufferBytes(4096).maxRecordBytes(57280).build();
    long batch = Layout.singleRecordBatchBytes(config.maxRecordBytes(), WalFormat.MAX_BLOCK_BYTES);
    assertThat(Layout.dataOffset(WalFormat.MAX_BLOCK_BYTES) + batch)
        .isLessThanOrEqualTo(config.segmentBytes());
  }

  @Test
  void aFlushIntervalThatIsNotPositiveOrOverAMinuteIsRefusedByName() {
    assertThatThrownBy(() -> WalConfig.builder().flushInterval(Duration.ZERO).build())
        .hasMessageStartingWith("flushInterval (PT0S)");
    assertThatThrownBy(() -> WalConfig.builder().flushInterval(Duration.ofHours(1)).build())
        .hasMessageStartingWith("flushInterval (PT1H)");
  }
}
