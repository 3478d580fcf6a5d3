package dev.wal.jraft;

import dev.wal.CorruptLogException;
import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;

/**
 * Reads single records by LSN for {@code getEntry}. Until the engine has a point read (see
 * ENGINE-NEEDS.md), it keeps one reader open where the last read ended: SOFAJRaft's replicators
 * and state machine read in index order, and each such read continues that reader; any other read
 * opens a new reader, which scans the LSN's segment from its start.
 *
 * <p>Thread-safe: reads are serialized.
 */
final class EntryReader implements Closeable {
  private final WriteAheadLog log;

  // @GuardedBy("this")
  private LogReader reader;

  EntryReader(WriteAheadLog log) {
    this.log = log;
  }

  /**
   * Reads the payload of the durable record with LSN {@code lsn}.
   *
   * @return a copy of the payload
   * @throws CorruptLogException if the record is damaged
   * @throws IOException on an I/O failure, or if the reader found another record or none
   */
  synchronized byte[] read(long lsn) throws IOException {
    if (reader == null || reader.nextLsn() != lsn) {
      reopen(lsn);
    }
    LogRecord record;
    try {
      record = reader.next();
    } catch (IllegalStateException stale) {
      // The log was cut since the reader opened: the storage invalidates on every cut, so only a
      // cut racing this read gets here, and a fresh reader sees the log as it is now.
      reopen(lsn);
      record = reader.next();
    }
    if (record == null || record.lsn() != lsn) {
      String found = record == null ? "no durable record" : "the record of LSN " + record.lsn();
      throw new IOException(log + ": " + found + " where LSN " + lsn + " was asked for");
    }
    return record.payloadBytes();
  }

  private void reopen(long lsn) throws IOException {
    invalidate();
    reader = log.reader(lsn);
  }

  /** Closes the open reader, if any: the next read opens one where it is needed. */
  synchronized void invalidate() throws IOException {
    LogReader old = reader;
    reader = null;
    if (old != null) {
      old.close();
    }
  }

  @Override
  public void close() throws IOException {
    invalidate();
  }
}
