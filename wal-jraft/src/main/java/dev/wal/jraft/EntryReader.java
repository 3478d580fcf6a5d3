package dev.wal.jraft;

import dev.wal.CorruptLogException;
import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Reads single records by LSN for {@code getEntry}. Until the engine has a point read (see
 * ENGINE-NEEDS.md), opening a reader at an LSN scans that LSN's segment from its start, so this
 * keeps a few readers open where their last reads ended: SOFAJRaft reads in index order, one
 * sequence per replicator and one for the state machine, and each read continues the reader of
 * its sequence, or skips a reader a little way forward. Only other reads open a reader.
 *
 * <p>Thread-safe: reads are serialized.
 */
final class EntryReader implements Closeable {
  /** Readers kept open: two followers' replicators, the state machine, and one spare. */
  private static final int READERS = 4;
  /** How far a reader is read forward to reach an LSN rather than opening a new one. */
  private static final long MAX_SKIP = 256;

  private final WriteAheadLog log;

  // @GuardedBy("this"), most recently used first
  private final Deque<LogReader> readers = new ArrayDeque<>();

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
    LogReader reader = take(lsn);
    LogRecord record;
    try {
      record = skipTo(reader, lsn);
    } catch (IllegalStateException stale) {
      // The log was cut since the reader opened. The storage invalidates on every cut, so only a
      // cut racing this read gets here, and a fresh reader sees the log as it is now.
      reader.close();
      reader = log.reader(lsn);
      record = next(reader);
    } catch (IOException | RuntimeException e) {
      closeAfter(reader, e);
      throw e;
    }
    readers.addFirst(reader);
    if (record == null || record.lsn() != lsn) {
      String found = record == null ? "no durable record" : "the record of LSN " + record.lsn();
      throw new IOException(log + ": " + found + " where LSN " + lsn + " was asked for");
    }
    return record.payloadBytes();
  }

  /** Removes and returns the reader best placed to read {@code lsn}, or a new one. */
  private LogReader take(long lsn) throws IOException {
    LogReader best = null;
    for (LogReader reader : readers) {
      long distance = lsn - reader.nextLsn();
      if (distance >= 0 && distance <= MAX_SKIP && (best == null || reader.nextLsn() > best.nextLsn())) {
        best = reader;
      }
    }
    if (best != null) {
      readers.remove(best);
      return best;
    }
    if (readers.size() == READERS) {
      readers.removeLast().close();
    }
    return log.reader(lsn);
  }

  private static LogRecord next(LogReader reader) throws IOException {
    try {
      return reader.next();
    } catch (IOException | RuntimeException e) {
      closeAfter(reader, e);
      throw e;
    }
  }

  private static void closeAfter(LogReader reader, Exception failure) {
    try {
      reader.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static LogRecord skipTo(LogReader reader, long lsn) throws IOException {
    LogRecord record = reader.next();
    // Bounded: the reader starts at most MAX_SKIP records before lsn.
    while (record != null && record.lsn() < lsn) {
      record = reader.next();
    }
    return record;
  }

  /** Closes the open readers: the next reads open them where they are needed. */
  synchronized void invalidate() throws IOException {
    IOException failure = null;
    for (Iterator<LogReader> it = readers.iterator(); it.hasNext(); ) {
      LogReader reader = it.next();
      it.remove();
      try {
        reader.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() throws IOException {
    invalidate();
  }
}
