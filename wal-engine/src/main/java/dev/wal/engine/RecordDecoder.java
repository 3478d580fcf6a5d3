package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_CONTINUED;
import static dev.wal.engine.WalFormat.RECORD_CRC_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_DURABLE_LSN_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;
import static dev.wal.engine.WalFormat.RECORD_LENGTH_MASK;
import static dev.wal.engine.WalFormat.RECORD_LENGTH_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_LSN_OFFSET;
import static dev.wal.engine.WalFormat.RECORD_TAG_OFFSET;
import static dev.wal.engine.WalFormat.SALT_BYTES;
import static dev.wal.engine.WalFormat.TRAILER_LSN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads one record header at a time from a little-endian buffer and checks it: a flyweight whose
 * fields describe the last record {@link #decode} found {@link #VALID}. Checks only what the bytes
 * themselves say (zeros, a possible length, the checksum); whether the LSN is the expected one is
 * the caller's business.
 *
 * <p>Instances are <b>not</b> thread-safe.
 */
final class RecordDecoder {
  /** A record whose length is possible and whose checksum matches. */
  static final int VALID = 0;

  /** A header of zeros: the end of the log in this segment, or a lost sector. */
  static final int ZEROS = 1;

  /** An impossible length or a checksum mismatch. */
  static final int DAMAGED = 2;

  /** The record runs past the bytes available in the buffer; read more and decode again. */
  static final int INCOMPLETE = 3;

  /**
   * An intact record of the segment a recycled file held before (its checksum matches the
   * previous salt): never a record of this segment. Its fields are set, for skipping it.
   */
  static final int STALE = 4;

  private final CRC32C crc = new CRC32C();
  private final byte[] salt = new byte[SALT_BYTES];
  private final byte[] previousSalt = new byte[SALT_BYTES];
  private boolean recycled;

  int length;
  boolean continued;
  long lsn;
  long tag;
  long durableLsn;

  /** Sets the salt of the segment being read. */
  void salt(long segmentSalt) {
    RecordEncoder.saltBytes(segmentSalt, salt);
  }

  /** Sets the salt of the segment a recycled file held before, or 0 if it was new. */
  void previousSalt(long segmentSalt) {
    RecordEncoder.saltBytes(segmentSalt, previousSalt);
    recycled = segmentSalt != 0;
  }

  /**
   * Decodes the record at index {@code at}.
   *
   * @param buffer the bytes, little-endian; its position and limit are changed and restored to
   *     position 0, limit {@code available}
   * @param at the record's index in {@code buffer}
   * @param available the index just past the last byte that holds data
   * @param maxLength the largest length field that could be true here
   * @return {@link #VALID}, {@link #ZEROS}, {@link #DAMAGED}, {@link #INCOMPLETE} or {@link
   *     #STALE}
   */
  int decode(ByteBuffer buffer, int at, int available, long maxLength) {
    if (available - at < RECORD_HEADER_BYTES) {
      return INCOMPLETE;
    }
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    if (buffer.getLong(at) == 0
        && buffer.getLong(at + 8) == 0
        && buffer.getLong(at + 16) == 0
        && buffer.getLong(at + 24) == 0) {
      return ZEROS;
    }
    int lengthField = buffer.getInt(at + RECORD_LENGTH_OFFSET);
    int len = lengthField & RECORD_LENGTH_MASK;
    if ((lengthField & ~(RECORD_LENGTH_MASK | RECORD_CONTINUED)) != 0 || len > maxLength) {
      return DAMAGED;
    }
    if (available - at - RECORD_HEADER_BYTES < len) {
      return INCOMPLETE;
    }
    long recordLsn = buffer.getLong(at + RECORD_LSN_OFFSET);
    if (recordLsn < 0) {
      return DAMAGED;
    }
    int status = VALID;
    if (!checksumMatches(salt, buffer, at, len, available)) {
      if (!recycled || !checksumMatches(previousSalt, buffer, at, len, available)) {
        return DAMAGED;
      }
      status = STALE;
    }
    length = len;
    continued = (lengthField & RECORD_CONTINUED) != 0;
    lsn = recordLsn;
    tag = buffer.getLong(at + RECORD_TAG_OFFSET);
    durableLsn = buffer.getLong(at + RECORD_DURABLE_LSN_OFFSET);
    return status;
  }

  private boolean checksumMatches(
      byte[] seed, ByteBuffer buffer, int at, int len, int available) {
    crc.reset();
    crc.update(seed, 0, SALT_BYTES);
    buffer.limit(at + RECORD_HEADER_BYTES + len).position(at + RECORD_LENGTH_OFFSET);
    crc.update(buffer);
    buffer.position(0).limit(available);
    return (int) crc.getValue() == buffer.getInt(at + RECORD_CRC_OFFSET);
  }

  /** {@return whether the last valid record is a trailer} */
  boolean isTrailer() {
    return lsn == TRAILER_LSN;
  }

  /** {@return the payload length in a record's length field, without the flag bits} */
  static int lengthOf(int lengthField) {
    return lengthField & RECORD_LENGTH_MASK;
  }

  /** {@return the bytes the last valid record occupies, header and alignment included} */
  int recordBytes() {
    return (int) Layout.recordBytes(length);
  }
}
