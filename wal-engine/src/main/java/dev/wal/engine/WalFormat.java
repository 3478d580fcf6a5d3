package dev.wal.engine;

/**
 * The on-disk format of a log, in one place: constants and offsets, no behaviour.
 *
 * <p>A log is a directory of segment files named by their first LSN ({@link SegmentNames}). All
 * integers are little-endian and fixed-width.
 *
 * <pre>
 * Segment file (preallocated: zero-filled to its size before it gets its name, or recycled)
 *
 *   0                  blockBytes                                              size
 *   +------------------+------------------------------------------------------+
 *   | segment header   | batch | batch | ... | batch | zeros (end of log) ... |
 *   | (64 B, rest 0)   |                                                       |
 *   +------------------+------------------------------------------------------+
 *
 * Segment header (64 bytes, at offset 0)
 *    0  long  magic          SEGMENT_MAGIC ("DEVWAL-S")
 *    8  int   formatVersion  FORMAT_VERSION
 *   12  int   blockBytes     the alignment of every batch; a power of two in [64, 4096]
 *   16  long  firstLsn       the LSN of the segment's first record; the file's name
 *   24  long  salt           random per segment; seeds every record's CRC32C
 *   32  ...   zeros
 *   60  int   headerCrc      CRC32C of bytes [0, 60)
 *
 * Batch: what one write hands to the Vfs. It starts at a multiple of blockBytes and ends with a
 * trailer record that pads it to the next multiple, so that no two batches share a sector.
 *
 *   | record | record | ... | trailer (padding to the block boundary) |
 *
 * Record (8-byte aligned; RECORD_HEADER_BYTES + length, rounded up to 8)
 *    0  int   crc            CRC32C seeded with the salt's 8 bytes, over [4, 32 + length)
 *    4  int   length         bits 0-29: payload bytes (a trailer: the padding bytes after its
 *                            header); bit 30: CONTINUED, set on every record of an atomic group
 *                            but its last; bit 31: 0
 *    8  long  lsn            the record's LSN, at least 1; 0 marks a trailer
 *   16  long  tag            the caller's tag (a trailer: 0)
 *   24  long  durableLsn     the log's flushed LSN when the record was encoded: every record up
 *                            to it had been made durable before this one was written
 *   32  ...   payload (a trailer: zeros), then 0 to 7 zero bytes of alignment
 *
 * Meta file (META, 64 bytes; written whole to META_TMP, flushed, renamed over META, directory
 * synced, so that it is always either the old or the new content, whole)
 *    0  long  magic          META_MAGIC ("DEVWAL-M")
 *    8  int   formatVersion  FORMAT_VERSION
 *   12  int   zero
 *   16  long  firstLsn       the logical first LSN: records below it are discarded, even where
 *                            their segment still exists
 *   24  long  resetLsn       0, or the LSN a reset under way starts the log at (see LogMeta)
 *   32  long  cleanLastLsn   the clean-close marker (see LogMeta): the last LSN when the log
 *                            closed cleanly, or 0 (with the next two) if it did not
 *   40  long  cleanSegment   the first LSN of the newest segment then (its name), or 0: no marker
 *   48  long  cleanBytes     that segment's size in bytes then
 *   56  ...   zeros
 *   60  int   crc            CRC32C of bytes [0, 60)
 * </pre>
 *
 * <p>A record header of 32 zero bytes marks the end of the log in a segment (preallocated space
 * is zeros). A recycled file (a segment dropped by {@code truncateBefore}, reused as the next one
 * instead of zero-filling a new file) still holds its earlier records after the end: their
 * checksums are seeded with another salt, so they are never this segment's records, and every
 * batch written into a recycled file is followed by one block of zeros ({@link SegmentIo}), so
 * that the end of the log is zeros there too. Recovery recognizes the earlier records by {@code
 * previousSalt} and does not take them for damage (see {@link NewestSegment}). The field came
 * without a new format version: earlier writers left it zero (a new file), and a reader that
 * ignores it takes the earlier records for junk after a torn tail and zeroes them, losing nothing. {@code durableLsn} lets recovery tell a torn tail from corruption: see {@link
 * Recovery}. The records of an atomic group (a batch append) are always in one batch; the
 * CONTINUED bit lets recovery cut a group that is not whole, so that it is all or nothing.
 */
final class WalFormat {
  private WalFormat() {}

  /** "DEVWAL-S" read as a little-endian long. */
  static final long SEGMENT_MAGIC = 0x532D4C4157564544L;

  /**
   * Version 2 added the CONTINUED bit and the meta file. The clean-close marker came later
   * without a new version: it lives in bytes that earlier writers left zero (no marker), and a
   * reader that ignores it only does the work a marker saves (see {@link LogMeta}).
   */
  static final int FORMAT_VERSION = 2;

  static final int SEGMENT_HEADER_BYTES = 64;
  static final int HEADER_MAGIC_OFFSET = 0;
  static final int HEADER_VERSION_OFFSET = 8;
  static final int HEADER_BLOCK_BYTES_OFFSET = 12;
  static final int HEADER_FIRST_LSN_OFFSET = 16;
  static final int HEADER_SALT_OFFSET = 24;
  static final int HEADER_PREVIOUS_SALT_OFFSET = 32;
  static final int HEADER_CRC_OFFSET = 60;

  static final int RECORD_CRC_OFFSET = 0;
  static final int RECORD_LENGTH_OFFSET = 4;
  static final int RECORD_LSN_OFFSET = 8;
  static final int RECORD_TAG_OFFSET = 16;
  static final int RECORD_DURABLE_LSN_OFFSET = 24;
  static final int RECORD_HEADER_BYTES = 32;

  /** The bits of the length field that hold the payload length. */
  static final int RECORD_LENGTH_MASK = (1 << 30) - 1;

  /** The bit of the length field set on every record of an atomic group but its last. */
  static final int RECORD_CONTINUED = 1 << 30;

  /** Records start at multiples of this. */
  static final int RECORD_ALIGNMENT = 8;

  /** The LSN field of a trailer. */
  static final long TRAILER_LSN = 0;

  /** The smallest batch alignment; at least {@link #SEGMENT_HEADER_BYTES}. */
  static final int MIN_BLOCK_BYTES = 64;

  /** The largest batch alignment (and sector size) the log supports. */
  static final int MAX_BLOCK_BYTES = 4096;

  /** "DEVWAL-M" read as a little-endian long. */
  static final long META_MAGIC = 0x4D2D4C4157564544L;

  static final int META_BYTES = 64;
  static final int META_MAGIC_OFFSET = 0;
  static final int META_VERSION_OFFSET = 8;
  static final int META_FIRST_LSN_OFFSET = 16;
  static final int META_RESET_LSN_OFFSET = 24;
  static final int META_CLEAN_LAST_LSN_OFFSET = 32;
  static final int META_CLEAN_SEGMENT_OFFSET = 40;
  static final int META_CLEAN_BYTES_OFFSET = 48;
  static final int META_CRC_OFFSET = 60;

  /** The salt is fed to the CRC as this many little-endian bytes before the record. */
  static final int SALT_BYTES = 8;
}
