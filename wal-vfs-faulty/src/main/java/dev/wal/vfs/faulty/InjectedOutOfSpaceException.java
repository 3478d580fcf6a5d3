package dev.wal.vfs.faulty;

import dev.wal.vfs.OutOfSpaceException;

/**
 * A full disk that a {@link FaultyVfs} simulated: its quota was reached, or a rule injected it.
 * The message says how many bytes of the write reached the file.
 */
public final class InjectedOutOfSpaceException extends OutOfSpaceException
    implements InjectedFault {
  private static final long serialVersionUID = 1L;

  private final long traceIndex;

  InjectedOutOfSpaceException(long traceIndex, String message) {
    super("injected fault at operation #" + traceIndex + ": " + message);
    this.traceIndex = traceIndex;
  }

  @Override
  public long traceIndex() {
    return traceIndex;
  }
}
