package dev.wal.engine;

/**
 * Receives the LSN and tag of every record a log holds as {@link WriteAheadLog#open(
 * dev.wal.vfs.Vfs, WalConfig, RecoveryListener)} recovers it, so that a caller who keeps its own
 * state in the tags (a Raft log's terms and entry types) rebuilds it from the pass recovery makes
 * anyway, instead of reading every record again.
 */
@FunctionalInterface
public interface RecoveryListener {
  /**
   * Called once for each record from the log's first LSN to its last, in LSN order, on the
   * opening thread, before {@code open} returns. If {@code open} then throws, the calls made
   * describe no log: discard what they told. The log does not exist yet: do not call it.
   *
   * @param lsn the record's LSN
   * @param tag the record's tag
   */
  void onRecord(long lsn, long tag);
}
