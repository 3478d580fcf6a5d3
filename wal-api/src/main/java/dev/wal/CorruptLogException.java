package dev.wal;

import java.io.IOException;

/**
 * Thrown when bytes on disk are not what the log wrote: a checksum mismatch, an impossible
 * length, a record with the wrong LSN, or a damaged segment header, followed by data the log
 * cannot explain as a torn tail.
 *
 * <p>The message names the segment, the byte offset in it and what was found there, and gives a
 * likely cause. Nothing on disk is changed by the operation that throws it.
 */
public class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String segment;
  private final long offset;

  /**
   * Creates the exception.
   *
   * @param segment the name of the damaged segment file
   * @param offset the byte offset in that file where the damage was found
   * @param found what was found there, for example {@code "checksum mismatch in record 17"}
   */
  public CorruptLogException(String segment, long offset, String found) {
    super(found + " in segment '" + segment + "' at offset " + offset);
    this.segment = segment;
    this.offset = offset;
  }

  /**
   * Creates the exception with a cause, for example the I/O error that made a read fail.
   *
   * @param segment the name of the damaged segment file
   * @param offset the byte offset in that file where the damage was found
   * @param found what was found there
   * @param cause the underlying failure
   */
  public CorruptLogException(String segment, long offset, String found, Throwable cause) {
    this(segment, offset, found);
    initCause(cause);
  }

  /** {@return the name of the damaged segment file} */
  public String segment() {
    return segment;
  }

  /** {@return the byte offset in {@link #segment()} where the damage was found} */
  public long offset() {
    return offset;
  }
}
