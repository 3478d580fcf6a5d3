package dev.wal.engine;

import static dev.wal.engine.WalFormat.FORMAT_VERSION;
import static dev.wal.engine.WalFormat.HEADER_BLOCK_BYTES_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_CRC_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_FIRST_LSN_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_MAGIC_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_PREVIOUS_SALT_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_SALT_OFFSET;
import static dev.wal.engine.WalFormat.HEADER_VERSION_OFFSET;
import static dev.wal.engine.WalFormat.MAX_BLOCK_BYTES;
import static dev.wal.engine.WalFormat.MIN_BLOCK_BYTES;
import static dev.wal.engine.WalFormat.SEGMENT_HEADER_BYTES;
import static dev.wal.engine.WalFormat.SEGMENT_MAGIC;

import dev.wal.CorruptLogException;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A segment's header: what {@link WalFormat} lays out at offset 0 of every segment.
 *
 * @param firstLsn the LSN of the segment's first record
 * @param salt the seed of every record checksum in the segment
 * @param blockBytes the alignment of the segment's batches
 * @param previousSalt the salt of the segment this file held before it was recycled, whose
 *     records may remain after this one's end; 0 if the file was new (zero-filled or empty)
 */
record SegmentHeader(long firstLsn, long salt, int blockBytes, long previousSalt) {

  /** A header of a segment in a new file. */
  SegmentHeader(long firstLsn, long salt, int blockBytes) {
    this(firstLsn, salt, blockBytes, 0);
  }

  /** {@return this header for a file whose earlier records have salt {@code previous}} */
  SegmentHeader withPreviousSalt(long previous) {
    return new SegmentHeader(firstLsn, salt, blockBytes, previous);
  }

  /** {@return whether the file was recycled: records of its earlier segment may follow the end} */
  boolean recycled() {
    return previousSalt != 0;
  }

  /** {@return a new direct buffer holding the encoded header, position 0, limit 64} */
  ByteBuffer encode() {
    ByteBuffer buffer =
        ByteBuffer.allocateDirect(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(HEADER_MAGIC_OFFSET, SEGMENT_MAGIC);
    buffer.putInt(HEADER_VERSION_OFFSET, FORMAT_VERSION);
    buffer.putInt(HEADER_BLOCK_BYTES_OFFSET, blockBytes);
    buffer.putLong(HEADER_FIRST_LSN_OFFSET, firstLsn);
    buffer.putLong(HEADER_SALT_OFFSET, salt);
    buffer.putLong(HEADER_PREVIOUS_SALT_OFFSET, previousSalt);
    buffer.putInt(HEADER_CRC_OFFSET, crc(buffer));
    return buffer;
  }

  /**
   * Reads the header of a segment file that is no longer in the log (a recycled one).
   *
   * @return its salt, or 0 if its header is not intact
   */
  static long saltOf(VfsFile file) throws IOException {
    ByteBuffer header =
        ByteBuffer.allocateDirect(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    file.readFully(0, header);
    boolean intact =
        header.getLong(HEADER_MAGIC_OFFSET) == SEGMENT_MAGIC
            && header.getInt(HEADER_VERSION_OFFSET) == FORMAT_VERSION
            && header.getInt(HEADER_CRC_OFFSET) == crc(header);
    return intact ? header.getLong(HEADER_SALT_OFFSET) : 0;
  }

  private static int crc(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(0).limit(HEADER_CRC_OFFSET));
    return (int) crc.getValue();
  }

  /**
   * Decodes and checks the header of segment {@code name}.
   *
   * @param name the segment's file name, whose LSN the header must carry
   * @param expectedFirstLsn the LSN parsed from {@code name}
   * @param header the file's first 64 bytes, little-endian, position 0
   * @return the header
   * @throws CorruptLogException if the magic, version, checksum, block size or first LSN is wrong
   */
  static SegmentHeader decode(String name, long expectedFirstLsn, ByteBuffer header)
      throws CorruptLogException {
    long magic = header.getLong(HEADER_MAGIC_OFFSET);
    if (magic != SEGMENT_MAGIC) {
      throw new CorruptLogException(
          name,
          HEADER_MAGIC_OFFSET,
          "bad magic 0x" + Long.toHexString(magic) + " (not a log segment?)");
    }
    boolean crcMatches = header.getInt(HEADER_CRC_OFFSET) == crc(header);
    int version = header.getInt(HEADER_VERSION_OFFSET);
    if (version != FORMAT_VERSION) {
      // Before the checksum: another version may checksum its header differently.
      throw new CorruptLogException(
          name,
          HEADER_VERSION_OFFSET,
          "format version " + version + " where this library reads " + FORMAT_VERSION
              + (crcMatches ? "" : " (or a damaged header: its checksum does not match either)"));
    }
    if (!crcMatches) {
      throw new CorruptLogException(
          name, HEADER_CRC_OFFSET, "segment header checksum mismatch (hardware problem?)");
    }
    int blockBytes = header.getInt(HEADER_BLOCK_BYTES_OFFSET);
    if (blockBytes < MIN_BLOCK_BYTES
        || blockBytes > MAX_BLOCK_BYTES
        || Integer.bitCount(blockBytes) != 1) {
      throw new CorruptLogException(
          name, HEADER_BLOCK_BYTES_OFFSET, "impossible block size " + blockBytes);
    }
    long firstLsn = header.getLong(HEADER_FIRST_LSN_OFFSET);
    if (firstLsn != expectedFirstLsn) {
      throw new CorruptLogException(
          name,
          HEADER_FIRST_LSN_OFFSET,
          "header says first LSN " + firstLsn + " but the file name says " + expectedFirstLsn);
    }
    return new SegmentHeader(
        firstLsn,
        header.getLong(HEADER_SALT_OFFSET),
        blockBytes,
        header.getLong(HEADER_PREVIOUS_SALT_OFFSET));
  }
}
