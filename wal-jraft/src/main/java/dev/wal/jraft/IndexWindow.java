package dev.wal.jraft;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Where the Raft log sits on the engine's LSNs: its first index, and the offset from LSN to
 * index. An interim stand-in for the engine's durable {@code reset(nextLsn)} and logical first
 * LSN (see ENGINE-NEEDS.md); the offset is 0 until the first reset or prefix truncation past the
 * end, and a fresh log has first index 1.
 *
 * <p>Kept in one small file of the log's Vfs, replaced atomically (written aside, flushed,
 * renamed over, directory synced), so a crash leaves the old window or the new one:
 *
 * <pre>
 *  0        4        8                16               24       28
 * +--------+--------+----------------+----------------+--------+
 * | magic  | version|   firstIndex   |   lsnOffset    | CRC32C |   little-endian
 * +--------+--------+----------------+----------------+--------+
 * </pre>
 *
 * <p>Instances are immutable.
 *
 * @param firstIndex the first Raft index of the log, at least 1
 * @param lsnOffset the Raft index of a record minus its LSN
 */
record IndexWindow(long firstIndex, long lsnOffset) {
  static final String FILE = "jraft-window";
  private static final String TEMPORARY = FILE + ".tmp";
  private static final int MAGIC = 0x4e57524a; // "JRWN" little-endian
  private static final int VERSION = 1;
  private static final int BYTES = 28;

  /** The window of a log that was never reset nor truncated: index 1 is LSN 1. */
  static final IndexWindow INITIAL = new IndexWindow(1, 0);

  IndexWindow {
    if (firstIndex < 1) {
      throw new IllegalArgumentException("firstIndex (" + firstIndex + ") must be at least 1");
    }
  }

  /** {@return the LSN of Raft index {@code index}} */
  long lsn(long index) {
    return index - lsnOffset;
  }

  /** {@return the Raft index of LSN {@code lsn}} */
  long index(long lsn) {
    return lsn + lsnOffset;
  }

  /**
   * Reads the window of the log in {@code vfs}, {@link #INITIAL} if it has none, and deletes a
   * replacement a crash interrupted.
   *
   * @throws CorruptLogException if the file is damaged
   */
  static IndexWindow read(Vfs vfs) throws IOException {
    if (vfs.exists(TEMPORARY)) {
      vfs.delete(TEMPORARY);
    }
    if (!vfs.exists(FILE)) {
      return INITIAL;
    }
    ByteBuffer bytes = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (VfsFile file = vfs.open(FILE, Vfs.OpenMode.EXISTING)) {
      if (file.size() != BYTES) {
        throw new CorruptLogException(FILE, 0, "a file of " + file.size() + " bytes, not " + BYTES);
      }
      file.readFully(0, bytes);
    }
    return decode(bytes.flip());
  }

  private static IndexWindow decode(ByteBuffer bytes) throws CorruptLogException {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate().limit(BYTES - Integer.BYTES));
    if ((int) crc.getValue() != bytes.getInt(BYTES - Integer.BYTES)) {
      throw new CorruptLogException(FILE, 0, "a checksum mismatch (hardware problem?)");
    }
    if (bytes.getInt(0) != MAGIC || bytes.getInt(4) != VERSION) {
      throw new CorruptLogException(FILE, 0, "an unknown magic or version " + bytes.getInt(4));
    }
    long firstIndex = bytes.getLong(8);
    if (firstIndex < 1) {
      throw new CorruptLogException(FILE, 8, "a first index of " + firstIndex);
    }
    return new IndexWindow(firstIndex, bytes.getLong(16));
  }

  /** Makes this the window of the log in {@code vfs}, durably. */
  void write(Vfs vfs) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putInt(MAGIC).putInt(VERSION).putLong(firstIndex).putLong(lsnOffset);
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate().flip());
    bytes.putInt((int) crc.getValue()).flip();
    if (vfs.exists(TEMPORARY)) {
      vfs.delete(TEMPORARY);
    }
    try (VfsFile file = vfs.open(TEMPORARY, Vfs.OpenMode.CREATE_NEW)) {
      file.write(0, bytes);
      file.flush();
    }
    vfs.rename(TEMPORARY, FILE);
    vfs.syncDirectory();
  }
}
