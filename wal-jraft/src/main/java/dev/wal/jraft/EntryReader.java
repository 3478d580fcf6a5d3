package dev.wal.jraft;

import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;

/**
 * Reads single records by LSN for {@code getEntry}. A read is the engine's point read ({@link
 * WriteAheadLog#read}: one sparse-index stride of I/O), unless it continues a sequence: SOFAJRaft
 * reads in index order, one sequence per lagging replicator and one for the state machine, so
 * when a read asks for the LSN after one read just before, this opens a {@link LogReader} there
 * and keeps it as a stream for the reads that follow, which then cost no I/O of their own but the
 * reader's large chunks.
 *
 * <p>Thread-safe: the bookkeeping is serialized, the I/O is not; a stream is used by one read at a
 * time, taken out of the pool while it reads.
 */
final class EntryReader implements Closeable {
  /** Streams kept open: two followers' replicators, the state machine, and one spare. */
  private static final int STREAMS = 4;

  private final WriteAheadLog log;

  // @GuardedBy("this"), most recently used first; each one's nextLsn() is the LSN it reads next
  private final Deque<LogReader> streams = new ArrayDeque<>();
  // @GuardedBy("this"), the LSNs of the last point reads, to see a sequence start
  private final long[] recentPoints = new long[STREAMS];
  // @GuardedBy("this")
  private int nextPoint;

  EntryReader(WriteAheadLog log) {
    this.log = log;
    Arrays.fill(recentPoints, -1);
  }

  /**
   * Reads the payload of the durable record with LSN {@code lsn}.
   *
   * @return a copy of the payload
   * @throws IOException on an I/O failure or damage, or if the record is not durable
   */
  byte[] read(long lsn) throws IOException {
    LogReader stream = takeStream(lsn);
    if (stream == null && !startsSequence(lsn)) {
      LogRecord record = log.read(lsn);
      if (record == null) {
        throw new IOException(log + ": the record of LSN " + lsn + " is not durable");
      }
      return record.payloadBytes();
    }
    if (stream == null) {
      stream = log.reader(lsn);
    }
    byte[] payload;
    try {
      LogRecord record = stream.next();
      if (record == null || record.lsn() != lsn) {
        String found = record == null ? "no durable record" : "the record of LSN " + record.lsn();
        throw new IOException(log + ": " + found + " where LSN " + lsn + " was asked for");
      }
      payload = record.payloadBytes();
    } catch (IOException | RuntimeException e) {
      try {
        stream.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    giveBack(stream);
    return payload;
  }

  /** Takes the stream that reads {@code lsn} next out of the pool, or returns null. */
  private synchronized LogReader takeStream(long lsn) {
    for (Iterator<LogReader> it = streams.iterator(); it.hasNext(); ) {
      LogReader stream = it.next();
      if (stream.nextLsn() == lsn) {
        it.remove();
        return stream;
      }
    }
    return null;
  }

  /**
   * {@return whether a recent point read asked for {@code lsn - 1}, so that a stream should start
   * at {@code lsn}} Otherwise remembers {@code lsn} as a point read.
   */
  private synchronized boolean startsSequence(long lsn) {
    for (int i = 0; i < recentPoints.length; i++) {
      if (recentPoints[i] == lsn - 1) {
        recentPoints[i] = -1;
        return true;
      }
    }
    recentPoints[nextPoint] = lsn;
    nextPoint = (nextPoint + 1) % recentPoints.length;
    return false;
  }

  /** Puts a stream back after a read, closing the least recently used one if the pool is full. */
  private void giveBack(LogReader stream) throws IOException {
    LogReader evicted = null;
    synchronized (this) {
      streams.addFirst(stream);
      if (streams.size() > STREAMS) {
        evicted = streams.removeLast();
      }
    }
    if (evicted != null) {
      evicted.close();
    }
  }

  /**
   * Closes the open streams, before a change of the log that would make them stale (the caller
   * ensures no read runs): the next reads open them where they are needed.
   */
  synchronized void invalidate() throws IOException {
    Arrays.fill(recentPoints, -1);
    IOException failure = null;
    for (Iterator<LogReader> it = streams.iterator(); it.hasNext(); ) {
      LogReader stream = it.next();
      it.remove();
      try {
        stream.close();
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
