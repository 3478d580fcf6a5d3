package dev.wal.engine;

import static dev.wal.engine.WalFormat.MAX_BLOCK_BYTES;
import static dev.wal.engine.WalFormat.RECORD_CRC_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_DURABLE_LSN_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;
import static dev.wal.engine.WalFormat.RECORD_LENGTH_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_LSN_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_TAG_OFFSET;
import static dev.wal.engine.WalFormat.SALT_BYTES;
import static dev.wal.engine.WalFormat.TRAILER_LSN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes records and trailers into a little-endian buffer at absolute indexes, reusing one {@link
 * CRC32C} so that encoding allocates nothing. Each method leaves the buffer cleared (position 0,
 * limit at capacity).
 *
 * <p>Instances are <b>not</b> thread-safe: the log uses one under its append lock, and recovery
 * its own.
 */
final class RecordEncoder {
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(MAX_BLOCK_BYTES);

  private final CRC32C crc = new CRC32C();
  private final byte[] salt = new byte[SALT_BYTES];

  /** Sets the salt of the segment the next records go to. */
  void salt(long segmentSalt) {
    saltBytes(segmentSalt, salt);
  }

  static void saltBytes(long segmentSalt, byte[] into) {
    for (int i = 0; i < SALT_BYTES; i++) {
      into[i] = (byte) (segmentSalt >>> (8 * i));
    }
  }

  /** Writes every header field but the checksum. */
  static void putHeader(
      ByteBuffer buffer, int at, int length, long lsn, long tag, long durableLsn) {
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(at + RECORD_LENGTH_OFFSET, length);
    buffer.putLong(at + RECORD_LSN_OFFSET, lsn);
    buffer.putLong(at + RECORD_TAG_OFFSET, tag);
    buffer.putLong(at + RECORD_DURABLE_LSN_OFFSET, durableLsn);
  }

  /** Marks the record at {@code at}, whose header is in place, as followed by more of its group. */
  static void markContinued(ByteBuffer buffer, int at) {
    int field = buffer.getInt(at + RECORD_LENGTH_OFFSET);
    buffer.putInt(at + RECORD_LENGTH_OFFSET, field | WalFormat.RECORD_CONTINUED);
  }

  /**
   * Checksums the record at {@code at}, whose header fields and payload are in place, and zeroes
   * the bytes that align its end.
   *
   * @return the index just past the record
   */
  int seal(ByteBuffer buffer, int at, int length) {
    int end = at + RECORD_HEADER_BYTES + length;
    crc.reset();
    crc.update(salt, 0, SALT_BYTES);
    buffer.clear().limit(end).position(at + RECORD_LENGTH_OFFSET);
    crc.update(buffer);
    buffer.clear();
    buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(at + RECORD_CRC_OFFSET, (int) crc.getValue());
    int alignedEnd = Layout.alignUp(end, WalFormat.RECORD_ALIGNMENT);
    for (int i = end; i < alignedEnd; i++) {
      buffer.put(i, (byte) 0);
    }
    return alignedEnd;
  }

  /**
   * Writes a trailer at {@code at} that pads the batch to the next multiple of {@code blockBytes}.
   *
   * @return the index just past the trailer: a multiple of {@code blockBytes}
   */
  int trailer(ByteBuffer buffer, int at, int blockBytes, long durableLsn) {
    int end = Layout.alignUp(at + RECORD_HEADER_BYTES, blockBytes);
    int length = end - at - RECORD_HEADER_BYTES;
    putHeader(buffer, at, length, TRAILER_LSN, 0, durableLsn);
    buffer.put(at + RECORD_HEADER_BYTES, ZEROS, 0, length);
    return seal(buffer, at, length);
  }
}
