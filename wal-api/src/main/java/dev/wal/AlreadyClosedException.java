package dev.wal;

import java.nio.channels.ClosedChannelException;

/**
 * Thrown by every call on a {@code Vfs}, a {@code VfsFile} or a log after it was closed.
 *
 * <p>It extends {@link ClosedChannelException} so that code written against the JDK's contract
 * keeps working, and adds what that class lacks: a message naming the closed resource.
 */
public class AlreadyClosedException extends ClosedChannelException {
  private static final long serialVersionUID = 1L;

  private final String resource;

  /**
   * Creates the exception for a closed resource.
   *
   * @param resource what was closed, for example {@code "file 'wal-1.seg' of memory:orders"}
   */
  public AlreadyClosedException(String resource) {
    this.resource = resource;
  }

  @Override
  public String getMessage() {
    return resource + " is closed";
  }
}
