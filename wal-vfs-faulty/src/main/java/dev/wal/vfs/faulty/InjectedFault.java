package dev.wal.vfs.faulty;

/**
 * Marks an exception that a {@link FaultyVfs} injected, as opposed to one the storage under it
 * threw. Test code tells them apart with {@link #isInjected(Throwable)}.
 */
public interface InjectedFault {

  /** {@return the index in the trace of the operation that failed} */
  long traceIndex();

  /**
   * Tells whether an exception, or any exception in its cause chain or among its suppressed ones,
   * was injected. A {@link dev.wal.vfs.FlushFailedException} from a handle poisoned by an
   * injected flush failure counts: its cause is the injected fault.
   *
   * @param failure the exception to inspect, may be null
   * @return whether an injected fault is found
   */
  static boolean isInjected(Throwable failure) {
    return find(failure, 0);
  }

  private static boolean find(Throwable failure, int depth) {
    if (failure == null || depth > 32) {
      return false;
    }
    if (failure instanceof InjectedFault) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (find(suppressed, depth + 1)) {
        return true;
      }
    }
    return find(failure.getCause(), depth + 1);
  }
}
