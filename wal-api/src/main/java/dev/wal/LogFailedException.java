package dev.wal;

import java.io.IOException;

/**
 * Thrown by every call on a log that stopped after an I/O error (fail-stop).
 *
 * <p>Once a write or flush has failed, the log cannot know what reached the disk, so it
 * acknowledges nothing more and must be closed and reopened; reopening recovers from what is
 * really on disk. The cause is the first I/O error.
 */
public class LogFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what stopped, for example {@code "log memory:orders failed at LSN 17"}
   * @param cause the I/O error that stopped the log
   */
  public LogFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
