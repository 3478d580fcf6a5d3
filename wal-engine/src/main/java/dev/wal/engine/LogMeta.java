package dev.wal.engine;

import static dev.wal.engine.WalFormat.FORMAT_VERSION;
import static dev.wal.engine.WalFormat.META_BYTES;
import static dev.wal.engine.WalFormat.META_CLEAN_BYTES_OFFSET;
import static dev.wal.engine.WalFormat.META_CLEAN_LAST_LSN_OFFSET;
import static dev.wal.engine.WalFormat.META_CLEAN_SEGMENT_OFFSET;
import static dev.wal.engine.WalFormat.META_CRC_OFFSET;
import static dev.wal.engine.WalFormat.META_FIRST_LSN_OFFSET;
import static dev.wal.engine.WalFormat.META_MAGIC;
import static dev.wal.engine.WalFormat.META_MAGIC_OFFSET;
import static dev.wal.engine.WalFormat.META_RESET_LSN_OFFSET;
import static dev.wal.engine.WalFormat.META_VERSION_OFFSET;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The log's meta file ({@link SegmentNames#META}): the logical first LSN and a reset under way,
 * laid out in {@link WalFormat}. A log that never truncated before a record boundary nor reset has
 * none.
 *
 * <p><b>Writing</b> is crash-atomic: the 64 bytes go to {@link SegmentNames#META_TMP}, which is
 * flushed, renamed over the meta file and the directory synced. A crash leaves the old content or
 * the new, whole; so damage found in it is corruption.
 *
 * <p><b>The logical first LSN</b> makes {@code truncateBefore(lsn)} exact although it can delete
 * only whole segments: it is made durable before any segment is deleted, and readers refuse LSNs
 * below it. A crash after that leaves extra old segments, which are invisible and dropped later.
 *
 * <p><b>A reset</b> ({@code reset(nextLsn)}) is made durable as {@code resetLsn = nextLsn} before
 * anything is deleted. From then on, whatever the crash, recovery finishes it ({@link
 * Recovery}): it deletes every segment, creates an empty segment starting at {@code nextLsn}, and
 * only then writes the meta file with {@code resetLsn = 0}. Before that write, the log holds no
 * record that could be mistaken for a kept one; after it, the empty segment exists. So a crash at
 * any point leaves either the old log whole (the reset did not return) or the empty log starting
 * at {@code nextLsn}.
 *
 * <p><b>The clean-close marker</b> ({@link CleanClose}) says that the log closed after every
 * write and flush it ever did had succeeded, and what its end was then; see {@link
 * WriteAheadLog#open} for what it saves and why it is safe. It is written by {@code close()} last,
 * and cleared (the meta written again without it) before the log changes any file after an open
 * that used it; so a marker on disk always describes files nobody wrote since.
 *
 * @param firstLsn the logical first LSN; at least 1
 * @param resetLsn the LSN a reset under way starts the log at, or 0
 * @param cleanClose the clean-close marker, or null
 */
record LogMeta(long firstLsn, long resetLsn, CleanClose cleanClose) {
  /** The meta of a log that has none: first LSN 1, no reset. */
  static final LogMeta NONE = new LogMeta(1, 0);

  /** A meta without a clean-close marker. */
  LogMeta(long firstLsn, long resetLsn) {
    this(firstLsn, resetLsn, null);
  }

  /**
   * What a clean close left: the log's end when every record was durable and no write or flush
   * had ever failed.
   *
   * @param lastLsn the last LSN (the log's first LSN - 1 if it held no record)
   * @param segmentFirstLsn the newest segment's first LSN, which names it; at least 1
   * @param segmentBytes the newest segment's size in bytes
   */
  record CleanClose(long lastLsn, long segmentFirstLsn, long segmentBytes) {}

  /** {@return this meta without a clean-close marker} */
  LogMeta withoutCleanClose() {
    return new LogMeta(firstLsn, resetLsn, null);
  }

  /** {@return the meta file's content, or {@link #NONE} if it does not exist} */
  static LogMeta read(Vfs vfs) throws IOException {
    if (!vfs.exists(SegmentNames.META)) {
      return NONE;
    }
    ByteBuffer bytes = ByteBuffer.allocate(META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (VfsFile file = vfs.open(SegmentNames.META, Vfs.OpenMode.EXISTING)) {
      if (file.size() != META_BYTES) {
        throw corrupt(
            META_MAGIC_OFFSET, "meta file of " + file.size() + " bytes, not " + META_BYTES);
      }
      file.readFully(0, bytes);
    }
    if (bytes.getLong(META_MAGIC_OFFSET) != META_MAGIC) {
      throw corrupt(META_MAGIC_OFFSET, "bad magic (not a log meta file?)");
    }
    if (bytes.getInt(META_CRC_OFFSET) != crc(bytes)) {
      throw corrupt(META_CRC_OFFSET, "meta file checksum mismatch (hardware problem?)");
    }
    int version = bytes.getInt(META_VERSION_OFFSET);
    if (version != FORMAT_VERSION) {
      throw corrupt(
          META_VERSION_OFFSET,
          "format version " + version + " where this library reads " + FORMAT_VERSION);
    }
    long first = bytes.getLong(META_FIRST_LSN_OFFSET);
    long reset = bytes.getLong(META_RESET_LSN_OFFSET);
    // Past MAX_FIRST_LSN the LSNs after them would overflow: no log writes such a meta.
    if (first < 1 || first > SegmentNames.MAX_FIRST_LSN) {
      throw corrupt(META_FIRST_LSN_OFFSET, "impossible first LSN " + first);
    }
    if (reset < 0 || reset > SegmentNames.MAX_FIRST_LSN) {
      throw corrupt(META_RESET_LSN_OFFSET, "impossible reset LSN " + reset);
    }
    if (reset != 0 && first != reset) {
      // A reset writes both as its LSN; finishing another would delete every segment and open a
      // log whose first LSN is past its end.
      throw corrupt(META_FIRST_LSN_OFFSET,
          "a reset to LSN " + reset + " with first LSN " + first + " (a reset sets both)");
    }
    return new LogMeta(first, reset, cleanCloseIn(bytes));
  }

  private static CleanClose cleanCloseIn(ByteBuffer bytes) throws CorruptLogException {
    long lastLsn = bytes.getLong(META_CLEAN_LAST_LSN_OFFSET);
    long segment = bytes.getLong(META_CLEAN_SEGMENT_OFFSET);
    long segmentBytes = bytes.getLong(META_CLEAN_BYTES_OFFSET);
    if (segment == 0) {
      return null;
    }
    if (segment < 1 || lastLsn < segment - 1 || segmentBytes < 0) {
      throw corrupt(
          META_CLEAN_LAST_LSN_OFFSET,
          "impossible clean-close marker: last LSN "
              + lastLsn
              + ", newest segment "
              + segment
              + " of "
              + segmentBytes
              + " bytes");
    }
    return new CleanClose(lastLsn, segment, segmentBytes);
  }

  /** Writes this meta durably and atomically (see the class documentation). */
  void write(Vfs vfs) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(META_MAGIC_OFFSET, META_MAGIC);
    bytes.putInt(META_VERSION_OFFSET, FORMAT_VERSION);
    bytes.putLong(META_FIRST_LSN_OFFSET, firstLsn);
    bytes.putLong(META_RESET_LSN_OFFSET, resetLsn);
    if (cleanClose != null) {
      bytes.putLong(META_CLEAN_LAST_LSN_OFFSET, cleanClose.lastLsn());
      bytes.putLong(META_CLEAN_SEGMENT_OFFSET, cleanClose.segmentFirstLsn());
      bytes.putLong(META_CLEAN_BYTES_OFFSET, cleanClose.segmentBytes());
    }
    bytes.putInt(META_CRC_OFFSET, crc(bytes));
    try (VfsFile file = vfs.open(SegmentNames.META_TMP, Vfs.OpenMode.CREATE)) {
      file.truncate(0);
      file.write(0, bytes);
      file.flush();
    }
    vfs.rename(SegmentNames.META_TMP, SegmentNames.META);
    vfs.syncDirectory();
  }

  private static int crc(ByteBuffer bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate().position(0).limit(META_CRC_OFFSET));
    return (int) crc.getValue();
  }

  private static CorruptLogException corrupt(long offset, String what) {
    return new CorruptLogException(SegmentNames.META, offset, what);
  }
}
