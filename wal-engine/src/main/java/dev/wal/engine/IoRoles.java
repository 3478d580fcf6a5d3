package dev.wal.engine;

import java.io.IOException;

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
 * Whoever needs I/O and finds the role free takes it
 * (leader-based group commit): an appender waiting for durability, one that found no free buffer,
 * the background flusher. A leader that forces first lets the appenders the last flush woke
 * append ({@link #gatherLateAppends}), then writes everything appended so far in one call, so one
 * flush covers every waiter (the ideal group commit: take all queued, write once, force once).
 * Durability waiters park in {@link Waiters} and are woken alone, never all at once.
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
  /** The most times a leader yields for appends still coming before it flushes. */
  static final int MAX_GATHER_YIELDS = 4;

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

  IoRoles(CommitState state, AppendBuffers buffers, SegmentIo io, long writtenLsn) {
    this.state = state;
    this.buffers = buffers;
    this.io = io;
    this.writtenLsn = writtenLsn;
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
      state.roleReleased();
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
   * flushes. Requires the force role to be free.
   */
  void leadForce() throws IOException {
    forcing = true;
    try {
      if (!writing) {
        writing = true;
        try {
          gatherLateAppends();
          if (buffers.fillingHoldsRecords()) {
            buffers.seal(state.flushedLsn());
          }
          writeUpTo(buffers.nextLsn() - 1, 0);
        } finally {
          writing = false;
        }
      }
      forceWritten();
    } finally {
      forcing = false;
      state.roleReleased();
    }
  }

  /**
   * Lets appenders that a flush just woke append before this flush starts, as long as records keep
   * coming (at most a few yields): otherwise the leader flushes with the few records appended in
   * the microseconds since the last flush, and the rest wait a whole flush more. An ideal group
   * commit's writer gets this for free while it wakes its waiters.
   */
  private void gatherLateAppends() {
    if (!state.waiters.any() && !state.lockContended()) {
      return; // nobody else is appending: a lone appender must not yield its flush away
    }
    long appended = buffers.nextLsn();
    for (int i = 0; i < MAX_GATHER_YIELDS; i++) {
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

  private void forceWritten() throws IOException {
    long covered = writtenLsn;
    lastForceNanos = System.nanoTime();
    state.checkFailure();
    state.unlock();
    try {
      io.flush();
    } catch (IOException | RuntimeException | Error e) {
      state.lock();
      throw state.fail(e);
    }
    state.lock();
    state.publishFlushed(covered);
  }
}
