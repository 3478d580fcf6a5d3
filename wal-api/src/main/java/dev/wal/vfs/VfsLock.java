package dev.wal.vfs;

import java.io.Closeable;
import java.io.IOException;

/**
 * An exclusive lock taken with {@link Vfs#lock(String)}. Close it to release; closing again does
 * nothing. Instances are safe for use by many threads.
 */
public interface VfsLock extends Closeable {
  /** {@return the lock's name} */
  String name();

  /** {@return whether the lock is still held: false once released or once its {@link Vfs} closed} */
  boolean isHeld();

  /**
   * Releases the lock.
   *
   * @throws IOException if releasing it failed; the lock is released in this process all the same
   */
  @Override
  void close() throws IOException;
}
