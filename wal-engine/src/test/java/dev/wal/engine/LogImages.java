package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;
import static dev.wal.engine.WalFormat.SEGMENT_HEADER_BYTES;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Valid logs written by the real log, as file images for the fuzzer and the corruption tests to
 * damage. Each shape is built once per JVM. The random salt of every segment is replaced by a fixed
 * one and every checksum recomputed, so that an image is the same bytes in every run and a stored
 * fuzz input replays the same damage.
 */
final class LogImages {
  private LogImages() {}

  /** The salt every image's segments get. */
  static final long SALT = 0x5EED_5A17_0F_F00DL;

  /** One valid log: its segment files, the payloads of its records (LSN 1 first), its storage. */
  record Image(String shape, int sectorSize, WalConfig config, Map<String, byte[]> files,
      List<byte[]> payloads) {}

  private static final String[] SHAPES = {
    "three single-record batches",
    "two batches of ten",
    "rotation over three segments",
    "empty and large records",
    "not preallocated",
    "no records",
    "4096-byte sectors",
    "records larger than a buffer",
    "oldest segments dropped by truncateBefore",
  };

  /**
   * The shapes the fuzz test picks from: the first seven, fixed so that stored inputs keep
   * meaning the same damage to the same log. Later shapes are for the seeded tests.
   */
  static final int FUZZED_SHAPES = 7;

  private static final Image[] BUILT = new Image[SHAPES.length];

  static int count() {
    return SHAPES.length;
  }

  /** {@return the image of shape {@code index}; the caller may not modify it} */
  static synchronized Image shape(int index) {
    if (BUILT[index] == null) {
      try {
        BUILT[index] = build(index);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return BUILT[index];
  }

  /** The configuration of the fuzzed logs: the smallest segments, flushes only when asked. */
  static WalConfig config(boolean preallocate) {
    return WalConfig.builder()
        .segmentBytes(8192)
        .bufferBytes(4096)
        .maxRecordBytes(4000)
        .flushInterval(Duration.ofMinutes(1))
        .preallocate(preallocate)
        .build();
  }

  private static Image build(int index) throws IOException {
    int sectorSize = index == 6 ? 4096 : 512;
    WalConfig config = config(index != 4);
    SparseVfs vfs = new SparseVfs(sectorSize);
    List<byte[]> payloads = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      switch (index) {
        case 0, 6 -> appendEach(log, payloads, 3, 40);
        case 1 -> {
          for (int batch = 0; batch < 2; batch++) {
            for (int i = 0; i < 10; i++) {
              payloads.add(Payloads.bytes(payloads.size() + 1, 17));
              log.appendNoWait(payloads.get(payloads.size() - 1), i);
            }
            log.flush();
          }
        }
        case 2 -> appendEach(log, payloads, 12, 1500);
        case 3 -> {
          for (int size : new int[] {0, 1, 3000, 0}) {
            payloads.add(Payloads.bytes(payloads.size() + 1, size));
            log.append(payloads.get(payloads.size() - 1), size);
          }
        }
        case 4 -> appendEach(log, payloads, 4, 100);
        case 5 -> {}
        case 7 -> appendEach(log, payloads, 3, 4000); // a batch of its own, over the buffer
        case 8 -> {
          appendEach(log, payloads, 12, 1500);
          log.truncateBefore(6); // the log now starts at a later segment
        }
        default -> throw new IllegalArgumentException("no shape " + index);
      }
    }
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : SegmentFiles.segments(vfs)) {
      files.put(name, normalized(vfs.snapshot().get(name)));
    }
    if (vfs.exists(SegmentNames.META)) {
      files.put(SegmentNames.META, vfs.snapshot().get(SegmentNames.META));
    }
    return new Image(SHAPES[index], sectorSize, config, files, List.copyOf(payloads));
  }

  private static void appendEach(WriteAheadLog log, List<byte[]> payloads, int count, int size)
      throws IOException {
    for (int i = 0; i < count; i++) {
      payloads.add(Payloads.bytes(payloads.size() + 1, size));
      log.append(payloads.get(payloads.size() - 1), i);
    }
  }

  private static byte[] normalized(byte[] segment) {
    byte[] copy = segment.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(WalFormat.HEADER_SALT_OFFSET, SALT);
    reseal(copy);
    return copy;
  }

  /** {@return a meta file's 64 bytes with these fields, its checksum right or not} */
  static byte[] meta(long magic, int version, long firstLsn, long resetLsn, boolean rightCrc) {
    ByteBuffer bytes = ByteBuffer.allocate(WalFormat.META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(WalFormat.META_MAGIC_OFFSET, magic);
    bytes.putInt(WalFormat.META_VERSION_OFFSET, version);
    bytes.putLong(WalFormat.META_FIRST_LSN_OFFSET, firstLsn);
    bytes.putLong(WalFormat.META_RESET_LSN_OFFSET, resetLsn);
    CRC32C crc = new CRC32C();
    crc.update(bytes.array(), 0, WalFormat.META_CRC_OFFSET);
    bytes.putInt(WalFormat.META_CRC_OFFSET, (int) crc.getValue() + (rightCrc ? 0 : 1));
    return bytes.array();
  }

  /**
   * Recomputes the header checksum and the checksum of every record that can be walked from the
   * first batch (a header that is not zeros and a length that fits), with the salt in the header:
   * so that damage to structure, not to checksums, is what recovery sees. Needs a whole header.
   */
  static void reseal(byte[] segment) {
    if (segment.length < SEGMENT_HEADER_BYTES) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(segment, 0, WalFormat.HEADER_CRC_OFFSET);
    bytes.putInt(WalFormat.HEADER_CRC_OFFSET, (int) crc.getValue());
    byte[] salt = new byte[WalFormat.SALT_BYTES];
    RecordEncoder.saltBytes(bytes.getLong(WalFormat.HEADER_SALT_OFFSET), salt);
    for (int at : recordStarts(segment)) {
      int length = RecordDecoder.lengthOf(bytes.getInt(at + WalFormat.RECORD_LENGTH_OFFSET));
      crc.reset();
      crc.update(salt);
      crc.update(segment, at + WalFormat.RECORD_LENGTH_OFFSET, RECORD_HEADER_BYTES - 4 + length);
      bytes.putInt(at + WalFormat.RECORD_CRC_OFFSET, (int) crc.getValue());
    }
  }

  /**
   * {@return the offsets of the records (trailers included) walked from the first batch, by their
   * length fields alone, up to a header of zeros or a length that does not fit}
   */
  static List<Integer> recordStarts(byte[] segment) {
    List<Integer> starts = new ArrayList<>();
    if (segment.length < SEGMENT_HEADER_BYTES) {
      return starts;
    }
    ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
    int blockBytes = bytes.getInt(WalFormat.HEADER_BLOCK_BYTES_OFFSET);
    if (blockBytes < WalFormat.MIN_BLOCK_BYTES || blockBytes > WalFormat.MAX_BLOCK_BYTES) {
      return starts;
    }
    long at = Layout.dataOffset(blockBytes);
    while (at + RECORD_HEADER_BYTES <= segment.length && !zeros(bytes, (int) at)) {
      int field = bytes.getInt((int) at + WalFormat.RECORD_LENGTH_OFFSET);
      int length = RecordDecoder.lengthOf(field);
      boolean flagsKnown =
          (field & ~(WalFormat.RECORD_LENGTH_MASK | WalFormat.RECORD_CONTINUED)) == 0;
      if (!flagsKnown || length > segment.length - at - RECORD_HEADER_BYTES) {
        break;
      }
      starts.add((int) at);
      at += Layout.recordBytes(length);
    }
    return starts;
  }

  private static boolean zeros(ByteBuffer bytes, int at) {
    for (int i = 0; i < RECORD_HEADER_BYTES; i += 8) {
      if (bytes.getLong(at + i) != 0) {
        return false;
      }
    }
    return true;
  }
}
