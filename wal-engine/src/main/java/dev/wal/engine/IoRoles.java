package dev.wal.engine;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The two I/O roles of group commit, each held by one thread at a time, with {@link
 * CommitState#lock} released while storage works:
 *
 * <ul>
 *   <li>The <b>write role</b> ({@link #writing}) writes sealed batches in LSN order, handing full
 *       buffers to the operating system without forcing them, and returns them to the pool.
 *   <li>The <b>force role</b> ({@link #forcing}) flushes the active segment. A flush covers the
 *       batches whose writes had returned before it began ({@link #writtenLsn} then), and only
 *       those are published as durable.
 * </ul>
 *
 * <p>The two run at once (a write to the page cache need not wait for a disk flush), also around
 * a rotation: the writer flushes the old segment itself before the new one gets its name, and a
 * flush under way on the old segment's handle keeps it open until it ends ({@link SegmentIo}).
 *
 * <p><b>Who leads.</b> Whoever needs I/O and finds the role free takes it (leader-based group
 * commit): an appender waiting for durability, one that found no free buffer, the background
 * flusher. A lone appender thus flushes its own record with no hand-off, and while flushes are
 * fast (memory, the page cache) a leader only yields a few times for late appends ({@link
 * #letLateAppendsIn}). Once a flush served several appenders and took long enough to be worth
 * waiting for ({@link #flusherLeads}), the background flusher leads every flush, as the ideal
 * group commit's writer thread does, and the appenders only append and park. It first waits for
 * the appenders the last flush woke to append again ({@link #gatherAppenders}), then writes
 * everything appended in one call and flushes once. Durability waiters park in {@link Waiters}
 * and are woken alone, never all at once.
 *
 * <p>Design note: with 16 appenders on 2 cores and a 130 µs flush, appender leaders flushed as
 * soon as they could, and the appenders woken by one flush came back during the next: flushes
 * alternated between about 1 and 15 records, 9 on average. Waiting for them gathered 14-16 per
 * flush, and letting the flusher lead saves the hand-off of the lead to an appender that must be
 * woken first (54 k appends/s, then 66 k, then 72 k, against 72-79 k for the ideal group commit).
 *
 * <p>Recovery relies on this: writes are sequential, every record carries the flushed LSN of when
 * it was encoded, and a flushed LSN is published only for batches a flush covered (see {@link
 * Recovery}).
 *
 * <p>A thread that is already interrupted never takes a role: an interrupt during I/O may close
 * the local backend's channel, which fail-stops the log.
 *
 * <p>Instances are <b>not</b> thread-safe on their own: every field and method is guarded by
 * {@link CommitState#lock}, which the methods release only around storage calls.
 */
final class IoRoles {
  /**
   * A flush shorter than this is not worth waiting for appenders, nor handing the lead to the
   * flusher: waking a parked thread, and its turn on a core, cost about as much. A flush to the
   * page cache or to memory takes a microsecond or two; a disk's, a hundred microseconds and more.
   */
  static final long MIN_GATHERED_FLUSH_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  /** The most times {@link #letLateAppendsIn} yields for appends still coming. */
  static final int MAX_LATE_APPEND_YIELDS = 4;

  /** How many recent flushes {@link #flusherLeads} judges the flush time by. */
  private static final int RECENT_FLUSHES = 4;

  /** The longest a leader waits for appenders, however slow the last flush. */
  static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final CommitState state;
  private final AppendBuffers buffers;
  private final SegmentIo io; // write() under the write role, flush() under the force role

  /** Guarded by lock. */
  boolean writing;

  /** Guarded by lock. */
  boolean forcing;

  /** The last LSN of the last batch written; guarded by lock. */
  long writtenLsn;

  /** When the last flush began ({@link System#nanoTime()}); guarded by lock. */
  long lastForceNanos = System.nanoTime();

  /**
   * How long the last {@link #RECENT_FLUSHES} flushes took, a ring; guarded by lock. The shortest
   * says whether flushes are slow: a fast flush whose leader lost its core looks slow once.
   */
  private final long[] recentForceNanos = new long[RECENT_FLUSHES];

  private int recentForceNext;

  /**
   * How many appenders the last flush served: the waiters it woke and those it left waiting, and
   * its leader if an appender led it. Each is expected to append again. Guarded by lock.
   */
  private int lastFlushAppenders;

  /** Whether the background flusher runs, and so may lead; guarded by lock. */
  boolean flusherRuns;

  IoRoles(CommitState state, AppendBuffers buffers, SegmentIo io, long writtenLsn) {
    this.state = state;
    this.buffers = buffers;
    this.io = io;
    this.writtenLsn = writtenLsn;
  }

  /**
   * {@return whether the background flusher leads the flushes} Once the last flush served several
   * appenders and each of the last few took at least {@link #MIN_GATHERED_FLUSH_NANOS}, until a
   * flush finds nothing to do or serves one appender alone.
   */
  boolean flusherLeads() {
    if (!flusherRuns || lastFlushAppenders <= 1) {
      return false;
    }
    for (long nanos : recentForceNanos) {
      if (nanos < MIN_GATHERED_FLUSH_NANOS) {
        return false;
      }
    }
    return true;
  }

  /** {@return whether the current thread may take a free role: it is not interrupted} */
  static boolean mayLead() {
    return !Thread.currentThread().isInterrupted();
  }

  /**
   * Takes the write role and writes sealed batches until {@code target} is written, sealing the
   * filling batch if it holds {@code target}. With {@code drain}, also writes the batches that
   * were sealed when it started. Requires the write role to be free.
   */
  void leadWrite(long target, boolean drain) throws IOException {
    writing = true;
    try {
      writeUpTo(target, drain ? buffers.sealedCount() : 0);
    } finally {
      writing = false;
      state.roleReleased(flusherLeads());
    }
  }

  private void writeUpTo(long target, int toDrain) throws IOException {
    while (true) {
      state.checkFailure();
      Batch next = buffers.peekSealed();
      if (next != null && (writtenLsn < target || toDrain-- > 0)) {
        write(buffers.pollSealed());
      } else if (writtenLsn < target) {
        buffers.seal(state.flushedLsn()); // the filling batch holds target
      } else {
        return;
      }
    }
  }

  /**
   * Takes the force role, writes everything appended so far when the write role is free, and
   * flushes, unless nothing written waits for a flush. Requires the force role to be free.
   *
   * @param byFlusher whether the background flusher leads, rather than an appender
   */
  void leadForce(boolean byFlusher) throws IOException {
    forcing = true;
    try {
      if (!writing) {
        writing = true;
        try {
          if (flusherLeads() && !state.closing()) {
            gatherAppenders();
          } else {
            letLateAppendsIn();
          }
          if (buffers.fillingHoldsRecords()) {
            buffers.seal(state.flushedLsn());
          }
          writeUpTo(buffers.nextLsn() - 1, 0);
        } finally {
          writing = false;
        }
      }
      if (writtenLsn > state.flushedLsn()) {
        forceWritten(byFlusher);
      } else {
        lastFlushAppenders = 0; // the appenders went away: the next one leads its own flush
      }
    } finally {
      forcing = false;
      state.roleReleased(flusherLeads());
    }
  }

  /**
   * Lets appenders that a flush just woke append before this flush starts, as long as records keep
   * coming (at most a few yields): otherwise the leader flushes with the few records appended in
   * the microseconds since the last flush, and the rest wait a whole flush more. For fast flushes,
   * where waiting for every appender would cost more than the flush ({@link #gatherAppenders}).
   */
  private void letLateAppendsIn() {
    if (!state.waiters.any() && !state.lockContended()) {
      return; // nobody else is appending: a lone appender must not yield its flush away
    }
    long appended = buffers.nextLsn();
    for (int i = 0; i < MAX_LATE_APPEND_YIELDS; i++) {
      state.unlock();
      Thread.yield();
      state.lock();
      long now = buffers.nextLsn();
      if (now == appended) {
        return;
      }
      appended = now;
    }
  }

  /**
   * Lets the appenders that the last flush woke append again before this flush writes: until as
   * many records as it served are appended, or for at most half as long as it took. Otherwise a
   * leader flushes the few records appended in the microseconds since the last flush, and the
   * rest wait a whole flush more. (An ideal group commit's writer gets this for free while it
   * wakes its waiters one by one.) Yields rather than parks: a parked leader would be one more
   * thread to wake.
   */
  private void gatherAppenders() {
    long target = writtenLsn + lastFlushAppenders;
    long start = System.nanoTime();
    long lastFlushTook = recentForceNanos[(recentForceNext + RECENT_FLUSHES - 1) % RECENT_FLUSHES];
    long patience = Math.min(lastFlushTook / 2, MAX_GATHER_NANOS);
    while (buffers.nextLsn() - 1 < target && System.nanoTime() - start < patience) {
      state.unlock();
      Thread.yield();
      state.lock();
    }
  }

  private void write(Batch batch) throws IOException {
    long writtenBefore = writtenLsn;
    boolean flushedBefore;
    state.unlock();
    try {
      flushedBefore = io.write(batch);
    } catch (IOException | RuntimeException | Error e) {
      state.lock();
      throw state.fail(e);
    }
    state.lock();
    if (flushedBefore) {
      state.publishFlushed(writtenBefore); // a rotation flushed the old segment
    }
    written(batch);
  }

  private void written(Batch batch) {
    writtenLsn = batch.lastLsn;
    buffers.recycle(batch);
    state.signalChanged();
  }

  private void forceWritten(boolean byFlusher) throws IOException {
    long covered = writtenLsn;
    long start = System.nanoTime();
    lastForceNanos = start;
    state.checkFailure();
    state.unlock();
    try {
      io.flush();
    } catch (IOException | RuntimeException | Error e) {
      state.lock();
      throw state.fail(e);
    }
    state.lock();
    recentForceNanos[recentForceNext] = System.nanoTime() - start;
    recentForceNext = (recentForceNext + 1) % RECENT_FLUSHES;
    int woken = state.publishFlushed(covered);
    lastFlushAppenders = woken + state.waiters.count() + (byFlusher ? 0 : 1);
  }
}
