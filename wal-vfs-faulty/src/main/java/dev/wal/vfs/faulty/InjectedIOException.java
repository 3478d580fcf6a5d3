package dev.wal.vfs.faulty;

import java.io.IOException;

/** An I/O error that a {@link FaultyVfs} injected; the message names the operation and rule. */
public final class InjectedIOException extends IOException implements InjectedFault {
  private static final long serialVersionUID = 1L;

  private final long traceIndex;

  InjectedIOException(long traceIndex, String message) {
    super("injected fault at operation #" + traceIndex + ": " + message);
    this.traceIndex = traceIndex;
  }

  @Override
  public long traceIndex() {
    return traceIndex;
  }
}
