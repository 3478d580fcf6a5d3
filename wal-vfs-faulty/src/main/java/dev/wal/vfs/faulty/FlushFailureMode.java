package dev.wal.vfs.faulty;

/**
 * What an injected {@link dev.wal.vfs.VfsFile#flush()} failure does to the data it should have
 * made durable. In every mode the failing handle is poisoned (every later write, truncate and flush
 * on it throws {@link dev.wal.vfs.FlushFailedException}), as the SPI requires; the modes differ in
 * what a new handle then sees.
 */
public enum FlushFailureMode {
  /**
   * The data stays dirty: a flush on a new handle makes it durable. What Lucene's and Pebble's
   * fault injectors model.
   */
  RETRY_SUCCEEDS,
  /**
   * Linux's behaviour after a failed fsync (Rebello et al., ATC '20): the dirty pages are marked
   * clean, so the written data stays readable until a crash but will never become durable, and
   * the next flush (on a new handle) reports success. A crash image lacks that data.
   */
  LINUX,
  /** The storage fails: every later call on the {@link FaultyVfs} and its files throws. */
  FAIL_STOP
}
