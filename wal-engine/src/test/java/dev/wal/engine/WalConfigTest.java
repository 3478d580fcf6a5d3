package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
    assertThat(config.waitSpin()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aWaitSpinMayBeZeroButNotNegativeNorOverASecond() {
    assertThat(WalConfig.builder().waitSpin(Duration.ZERO).build().waitSpin()).isZero();
    assertThat(WalConfig.builder().waitSpin(Duration.ofSeconds(1)).build())
        .hasToString(
            "WalConfig{segmentBytes=67108864, bufferBytes=1048576, maxRecordBytes=8388608,"
                + " flushInterval=PT0.002S, preallocate=true, recycleSegments=true,"
                + " waitSpin=PT1S}");
    assertThatThrownBy(() -> WalConfig.builder().waitSpin(Duration.ofNanos(-1)).build())
        .hasMessageStartingWith("waitSpin (PT-0.000000001S) must be zero or positive");
    assertThatThrownBy(() -> WalConfig.builder().waitSpin(Duration.ofMillis(1001)).build())
        .hasMessageStartingWith("waitSpin (PT1.001S)");
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
            () -> WalConfig.builder().segmentBytes(64 << 10).bufferBytes(4096).maxRecordBytes(62_000).build())
        .hasMessageStartingWith("maxRecordBytes (62000) must be in [0, 61376]");
    assertThatThrownBy(() -> WalConfig.builder().maxRecordBytes(-1).build())
        .hasMessageStartingWith("maxRecordBytes (-1)");
  }

  @Test
  void theLargestAllowedRecordFitsInASegment() {
    WalConfig config =
        WalConfig.builder().segmentBytes(64 << 10).bufferBytes(4096).maxRecordBytes(61376).build();
    long batch = Layout.singleRecordBatchBytes(config.maxRecordBytes(), WalFormat.MAX_BLOCK_BYTES);
    assertThat(Layout.dataOffset(WalFormat.MAX_BLOCK_BYTES) + batch)
        .isLessThanOrEqualTo(config.segmentBytes());
  }

  @Test
  void theSmallestSegmentTakesRecordsOfTheLargestSizeItAllowsOn4096ByteSectors()
      throws IOException {
    WalConfig config =
        WalConfig.builder().segmentBytes(8192).bufferBytes(4096).maxRecordBytes(4032).build();
    SparseVfs vfs = new SparseVfs(4096);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      assertThat(log.append(Payloads.bytes(1, 4032), 1)).isEqualTo(1);
      assertThat(log.append(Payloads.bytes(2, 4032), 2)).isEqualTo(2);
    }
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      assertThat(records).extracting(Payloads.Read::payload)
          .containsExactly(Payloads.bytes(1, 4032), Payloads.bytes(2, 4032));
    }
    assertThatThrownBy(
            () -> WalConfig.builder().segmentBytes(8192).bufferBytes(4096).maxRecordBytes(4033).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFlushIntervalThatIsNotPositiveOrOverAMinuteIsRefusedByName() {
    assertThatThrownBy(() -> WalConfig.builder().flushInterval(Duration.ZERO).build())
        .hasMessageStartingWith("flushInterval (PT0S)");
    assertThatThrownBy(() -> WalConfig.builder().flushInterval(Duration.ofHours(1)).build())
        .hasMessageStartingWith("flushInterval (PT1H)");
  }
}
