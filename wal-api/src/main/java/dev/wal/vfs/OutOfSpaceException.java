package dev.wal.vfs;

import java.io.IOException;

/**
 * Thrown when storage is full. How much of the failed write reached the file depends on the
 * backend; the message says so where it is known.
 */
public class OutOfSpaceException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be written, and where
   */
  public OutOfSpaceException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the backend's own error as the cause.
   *
   * @param message what could not be written, and where
   * @param cause the backend's error
   */
  public OutOfSpaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
