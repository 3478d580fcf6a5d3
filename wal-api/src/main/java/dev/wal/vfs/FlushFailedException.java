package dev.wal.vfs;

import java.io.IOException;

/**
 * Thrown by every write, truncate and flush of a {@link VfsFile} handle whose earlier flush
 * failed. The cause is that first failure. After a failed fsync the kernel may have marked the
 * dirty pages clean and dropped them, so a later flush that reported success would be a lie; the
 * handle therefore refuses work until the file is reopened.
 */
public class FlushFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param fileName the file whose handle failed
   * @param firstFailure the failure of the earlier flush
   */
  public FlushFailedException(String fileName, Throwable firstFailure) {
    super(
        "file '"
            + fileName
            + "' refuses writes and flushes after an earlier flush failed (its data may be lost;"
            + " reopen the file and check what it holds)",
        firstFailure);
  }
}
