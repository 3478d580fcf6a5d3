package dev.wal.vfs.faulty;

/**
 * Told of every operation of a {@link FaultyVfs} once it has finished, with the storage's lock
 * held: no other operation runs until it returns, so a handler may take a crash image at exactly
 * this point. A crash-point sweep counts operations here and crashes after the k-th.
 */
@FunctionalInterface
public interface OperationHandler {
  /**
   * Called after an operation (or a mark) finished, successfully or not.
   *
   * @param event the operation's trace event
   */
  void onOperation(TraceEvent event);
}
