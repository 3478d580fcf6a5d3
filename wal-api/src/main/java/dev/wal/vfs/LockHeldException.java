package dev.wal.vfs;

import java.io.IOException;

/**
 * Thrown by {@link Vfs#lock(String)} when the lock is held, by this process or another. The
 * message names the lock and, where known, the holder.
 */
public class LockHeldException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which lock is held, and by whom where known
   */
  public LockHeldException(String message) {
    super(message);
  }
}
