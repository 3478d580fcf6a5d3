package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.CorruptLogException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Segment names, the segment header and the record codec. */
class FormatTest {
  @Test
  void segmentNamesSortAsTheirFirstLsnsAndParseBack() {
    String small = SegmentNames.segmentName(9);
    String large = SegmentNames.segmentName(10);
    assertThat(small).isEqualTo("00000000000000000009.wal");
    assertThat(small.compareTo(large)).isNegative();
    assertThat(SegmentNames.parseSegmentName(large)).isEqualTo(10);
    assertThat(SegmentNames.parseSegmentName(SegmentNames.segmentName(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void namesThatAreNotExactlySegmentNamesParseAsNone() {
    for (String name :
        new String[] {"wal.lock", "spare.wal.tmp", "0000000000000000009.wal", "000000000000000000x9.wal",
          "00000000000000000000.wal", "99999999999999999999.wal", "00000000000000000009.wal.tmp"}) {
      assertThat(SegmentNames.parseSegmentName(name)).as(name).isEqualTo(-1);
    }
  }

  @Test
  void aSegmentHeaderRoundTripsAndEveryDamageIsCorruption() throws CorruptLogException {
    SegmentHeader header = new SegmentHeader(17, 0x1234_5678_9ABC_DEF0L, 512);
    ByteBuffer bytes = header.encode();
    assertThat(SegmentHeader.decode("x", 17, bytes)).isEqualTo(header);
    assertThatThrownBy(() -> SegmentHeader.decode("x", 18, bytes))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("header says first LSN 17 but the file name says 18");
    for (int i = 0; i < WalFormat.SEGMENT_HEADER_BYTES; i++) {
      ByteBuffer damaged = header.encode();
      damaged.put(i, (byte) (damaged.get(i) ^ 0x40));
      int offset = i;
      assertThatThrownBy(() -> SegmentHeader.decode("x", 17, damaged))
          .as("flipped byte %d", offset)
          .isInstanceOf(CorruptLogException.class);
    }
  }

  @Test
  void aRecordRoundTripsAndAFlippedBitInItsHeaderOrPayloadIsDamage() {
    ByteBuffer buffer = Buffers.allocateAligned(4096);
    RecordEncoder encoder = new RecordEncoder();
    encoder.salt(99);
    byte[] payload = Payloads.bytes(3, 21);
    RecordEncoder.putHeader(buffer, 64, payload.length, 5, -7, 4);
    buffer.put(64 + WalFormat.RECORD_HEADER_BYTES, payload);
    int end = encoder.seal(buffer, 64, payload.length);
    assertThat(end).isEqualTo(64 + 56);
    RecordDecoder decoder = new RecordDecoder();
    decoder.salt(99);
    assertThat(decoder.decode(buffer, 64, end, 1000)).isEqualTo(RecordDecoder.VALID);
    assertThat(decoder.lsn).isEqualTo(5);
    assertThat(decoder.tag).isEqualTo(-7);
    assertThat(decoder.durableLsn).isEqualTo(4);
    assertThat(decoder.length).isEqualTo(21);
    for (int bit = 0; bit < (WalFormat.RECORD_HEADER_BYTES + payload.length) * 8; bit++) {
      int index = 64 + bit / 8;
      buffer.put(index, (byte) (buffer.get(index) ^ (1 << (bit % 8))));
      assertThat(decoder.decode(buffer, 64, end, 1000)).as("bit %d", bit).isIn(RecordDecoder.DAMAGED, RecordDecoder.INCOMPLETE);
      buffer.put(index, (byte) (buffer.get(index) ^ (1 << (bit % 8))));
    }
    RecordDecoder otherSalt = new RecordDecoder();
    otherSalt.salt(100);
    assertThat(otherSalt.decode(buffer, 64, end, 1000)).isEqualTo(RecordDecoder.DAMAGED);
  }

  @Test
  void aTrailerPadsTheBatchToTheNextBlockBoundaryAndZerosReadAsTheEnd() {
    ByteBuffer buffer = Buffers.allocateAligned(4096);
    RecordEncoder encoder = new RecordEncoder();
    encoder.salt(1);
    int end = encoder.trailer(buffer, 488, 512, 3);
    assertThat(end).isEqualTo(1024);
    RecordDecoder decoder = new RecordDecoder();
    decoder.salt(1);
    assertThat(decoder.decode(buffer, 488, 4096, 4096)).isEqualTo(RecordDecoder.VALID);
    assertThat(decoder.isTrailer()).isTrue();
    assertThat(488 + decoder.recordBytes()).isEqualTo(1024);
    assertThat(decoder.decode(buffer, 1024, 4096, 4096)).isEqualTo(RecordDecoder.ZEROS);
  }
}
