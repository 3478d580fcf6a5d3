package dev.wal.vfs.faulty;

/** The kinds of operation a {@link FaultyVfs} counts, traces and can fail. */
public enum OpKind {
  /** {@link dev.wal.vfs.Vfs#open(String, dev.wal.vfs.Vfs.OpenMode)}. */
  OPEN,
  /** {@link dev.wal.vfs.VfsFile#read}. */
  READ,
  /** {@link dev.wal.vfs.VfsFile#write}. */
  WRITE,
  /** {@link dev.wal.vfs.VfsFile#flush()}. */
  FLUSH,
  /** {@link dev.wal.vfs.VfsFile#truncate(long)}. */
  TRUNCATE,
  /** {@link dev.wal.vfs.VfsFile#size()}. */
  SIZE,
  /** {@link dev.wal.vfs.Vfs#rename(String, String)}; the file is the source. */
  RENAME,
  /** {@link dev.wal.vfs.Vfs#delete(String)}. */
  DELETE,
  /** {@link dev.wal.vfs.Vfs#list()}; it names no file. */
  LIST,
  /** {@link dev.wal.vfs.Vfs#exists(String)}. */
  EXISTS,
  /** {@link dev.wal.vfs.Vfs#syncDirectory()}; it names no file. */
  SYNC_DIRECTORY,
  /** {@link dev.wal.vfs.Vfs#lock(String)}. */
  LOCK,
  /** Not an operation: a label a test put in the trace with {@link FaultyVfs#mark(String)}. */
  MARK
}
