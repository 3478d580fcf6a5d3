package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_ALIGNMENT;
import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

/** Size arithmetic over {@link WalFormat}. Stateless. */
final class Layout {
  private Layout() {}

  /** {@return {@code value} rounded up to a multiple of {@code alignment}, a power of two} */
  static long alignUp(long value, int alignment) {
    return (value + alignment - 1) & -alignment;
  }

  /** {@return {@code value} rounded up to a multiple of {@code alignment}, a power of two} */
  static int alignUp(int value, int alignment) {
    return (value + alignment - 1) & -alignment;
  }

  /** {@return {@code value} rounded down to a multiple of {@code alignment}, a power of two} */
  static long alignDown(long value, int alignment) {
    return value & -alignment;
  }

  /** {@return the bytes a record with this payload occupies, header and alignment included} */
  static long recordBytes(long payloadBytes) {
    return alignUp(RECORD_HEADER_BYTES + payloadBytes, RECORD_ALIGNMENT);
  }

  /**
   * {@return the bytes of a batch holding one record of this payload and its trailer, for a
   * block size}
   */
  static long singleRecordBatchBytes(long payloadBytes, int blockBytes) {
    return alignUp(recordBytes(payloadBytes) + RECORD_HEADER_BYTES, blockBytes);
  }

  /** {@return where the first batch of a segment starts, for a block size} */
  static int dataOffset(int blockBytes) {
    return blockBytes;
  }
}
