package dev.wal.bench;

import com.google.common.base.Preconditions;
import dev.wal.engine.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steady workload's checkpointer: a thread that truncates the log behind its appenders, as a
 * database or a queue does once a checkpoint has made old records unneeded. Every interval it
 * reads the durable LSN; once at least {@code 2 x keepRecords} durable records are in the log, it
 * calls {@link WriteAheadLog#truncateBefore} so that the last {@code keepRecords} of them stay.
 * The log so holds between {@code keepRecords} and about twice as many durable records, and a
 * truncation comes every {@code keepRecords} records, not every interval.
 *
 * <p>Design note: a truncation is not free (it writes the log's meta file durably while appends
 * wait for it), so truncating at every interval whatever came in would measure the checkpointer
 * more than the log; a checkpoint per stretch of log is also what databases do. It truncates only
 * below the durable LSN, so it never waits for a flush itself.
 *
 * <p>A failure stops the thread and is thrown by {@link #close()}; nothing is swallowed. Thread
 * safety: {@link #close()} and the getters may be called from any thread; {@link #checkpoint()} by
 * one thread at a time (the checkpointer's own while it runs).
 */
final class Checkpointer implements Closeable {
  private static final long JOIN_TIMEOUT_SECONDS = 60;

  /** What the checkpointer uses of a log; {@link #of} adapts the log itself. */
  interface Log {
    /** {@return the highest LSN known durable} */
    long flushedLsn();

    /** {@return the LSN of the oldest record the log holds} */
    long firstLsn();

    /**
     * Discards the records below an LSN.
     *
     * @param lsn the first LSN still needed
     * @throws IOException if truncating fails
     */
    void truncateBefore(long lsn) throws IOException;
  }

  private final Log log;
  private final long keepRecords;
  private final long intervalNanos;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicLong truncations = new AtomicLong();
  private final AtomicLong truncatingNanos = new AtomicLong();
  private final AtomicLong longestTruncationNanos = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  /**
   * Creates a checkpointer that is not running yet; {@link #start} starts one.
   *
   * @param log the log to truncate
   * @param keepRecords how many durable records each truncation keeps; positive
   * @param intervalNanos how long the thread waits between looks at the log; positive
   */
  Checkpointer(Log log, long keepRecords, long intervalNanos) {
    Preconditions.checkArgument(keepRecords >= 1, "keepRecords (%s) must be positive", keepRecords);
    Preconditions.checkArgument(intervalNanos >= 1, "intervalNanos (%s) must be positive", intervalNanos);
    this.log = log;
    this.keepRecords = keepRecords;
    this.intervalNanos = intervalNanos;
    this.thread = new Thread(this::run, "bench-checkpointer");
    thread.setDaemon(true);
  }

  /**
   * Starts a checkpointer thread.
   *
   * @param log the log to truncate
   * @param keepRecords how many durable records each truncation keeps
   * @param intervalNanos how long the thread waits between looks at the log
   * @return the running checkpointer; {@link #close()} stops it
   */
  static Checkpointer start(Log log, long keepRecords, long intervalNanos) {
    Checkpointer checkpointer = new Checkpointer(log, keepRecords, intervalNanos);
    checkpointer.thread.start();
    return checkpointer;
  }

  /**
   * Adapts a log.
   *
   * @param log the log
   * @return what the checkpointer uses of it
   */
  static Log of(WriteAheadLog log) {
    return new Log() {
      @Override
      public long flushedLsn() {
        return log.flushedLsn();
      }

      @Override
      public long firstLsn() {
        return log.firstLsn();
      }

      @Override
      public void truncateBefore(long lsn) throws IOException {
        log.truncateBefore(lsn);
      }
    };
  }

  /** {@return how many durable records each truncation keeps} */
  long keepRecords() {
    return keepRecords;
  }

  /** {@return how many truncations ran so far} */
  long truncations() {
    return truncations.get();
  }

  /** {@return the time spent in truncations so far, in nanoseconds} */
  long truncatingNanos() {
    return truncatingNanos.get();
  }

  /** {@return the longest truncation so far, in nanoseconds} */
  long longestTruncationNanos() {
    return longestTruncationNanos.get();
  }

  /**
   * Looks at the log once and truncates it if {@code 2 x keepRecords} durable records are in it.
   *
   * @return whether it truncated
   * @throws IOException if the truncation failed
   */
  boolean checkpoint() throws IOException {
    long keepFrom = log.flushedLsn() - keepRecords + 1;
    if (keepFrom - log.firstLsn() < keepRecords) {
      return false;
    }
    long start = System.nanoTime();
    log.truncateBefore(keepFrom);
    long nanos = System.nanoTime() - start;
    truncatingNanos.addAndGet(nanos);
    longestTruncationNanos.accumulateAndGet(nanos, Math::max);
    truncations.incrementAndGet();
    return true;
  }

  private void run() {
    try {
      do {
        checkpoint();
      } while (!stop.await(intervalNanos, TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      failure.set(new InterruptedIOException("the checkpointer was interrupted"));
    } catch (IOException | RuntimeException | Error e) {
      failure.set(e);
    }
  }

  /**
   * Stops the thread, waits for it, and throws what made it fail, if anything did. Idempotent.
   *
   * @throws IOException the truncation's I/O failure as it was thrown; or if the thread did not
   *     stop in time, or this thread was interrupted while waiting for it
   * @throws IllegalStateException if it failed otherwise; the cause is the failure
   */
  @Override
  public void close() throws IOException {
    stop.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the checkpointer");
    }
    if (thread.isAlive()) {
      throw new IOException("the checkpointer did not stop within " + JOIN_TIMEOUT_SECONDS + " s");
    }
    Throwable e = failure.get();
    if (e instanceof IOException io) {
      throw io;
    }
    if (e != null) {
      throw new IllegalStateException("the checkpointer failed", e);
    }
  }
}
