package dev.wal.engine;

import dev.wal.LogEntry;
import dev.wal.LogFailedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Appends records into buffers and makes them durable with group commit: the log's entry points
 * for appending, waiting, truncation and closing. The parts, all under one lock ({@link
 * CommitState#lock}): {@link AppendBuffers} (the buffer pair and encoding), {@link IoRoles} (the
 * write and force roles, leader-based), {@link CommitState} and {@link Waiters} (what waiters
 * wait on, and the fail-stop state), {@link Maintenance} (truncations, resets and close, which
 * take both roles) and {@link BackgroundFlusher}.
 *
 * <p><b>Durability.</b> A caller waiting for LSN {@code n} loops: if {@code n} is not written, it
 * takes the write role when free (or waits); once written, it takes the force role when free (or
 * waits for the flush under way, which wakes every waiter it covered at once). While the
 * background flusher leads ({@link IoRoles#flusherLeads}), it only waits.
 *
 * <p>Thread safety: safe for use by many threads; each field says what guards it.
 */
final class GroupCommit {
  private static final VarHandle LAST_LSN;

  static {
    try {
      LAST_LSN = MethodHandles.lookup().findVarHandle(GroupCommit.class, "lastLsn", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CommitState state;
  private final AppendBuffers buffers; // guarded by state.lock
  private final IoRoles roles; // guarded by state.lock
  private final long maxGroupBytes;
  private final Maintenance maintenance;

  /** The last LSN appended: written under the lock with release, read with acquire. */
  @SuppressWarnings("unused") // accessed through LAST_LSN
  private long lastLsn;

  GroupCommit(String logName, WalConfig config, SegmentIo io, Tail tail) {
    this.state = new CommitState(logName, new SpinWait(config.waitSpin().toNanos()));
    this.buffers = new AppendBuffers(config, tail);
    this.roles = new IoRoles(state, buffers, io, tail.nextLsn() - 1);
    this.maintenance = new Maintenance(state, buffers, roles, this);
    // The header block, then the group and its trailer in one batch: the room one record of
    // maxRecordBytes takes (see WalConfig), so a group fits wherever its bytes as one record would.
    this.maxGroupBytes = config.segmentBytes() - WalFormat.MAX_BLOCK_BYTES;
    state.resetFlushedLsn(tail.nextLsn() - 1);
    LAST_LSN.setRelease(this, tail.nextLsn() - 1);
  }

  /**
   * Where appends continue: the next LSN, the active segment's salt, where the next batch goes in
   * it, how far it may grow, the batch alignment, and the segment's index.
   */
  record Tail(
      long nextLsn,
      long salt,
      long writeOffset,
      long capacity,
      int blockBytes,
      SegmentIndex index) {}

  long flushedLsn() {
    return state.flushedLsn();
  }

  /** {@return the last LSN appended} Lock-free. */
  long lastLsn() {
    return (long) LAST_LSN.getAcquire(this);
  }

  // ---- appending ------------------------------------------------------------------------------

  /**
   * Appends one record; the payload is exactly one of {@code entry}, {@code array}, {@code
   * buffer}.
   *
   * @param durable whether to return only once the record is durable
   * @return the record's LSN
   */
  long append(LogEntry entry, byte[] array, ByteBuffer buffer, int size, long tag, boolean durable)
      throws IOException {
    long lsn;
    Waiters.Node node = null;
    state.lock();
    try {
      int at = reserve(Layout.recordBytes(size) + WalFormat.RECORD_HEADER_BYTES);
      long durableLsn = state.flushedLsn();
      int end;
      try {
        end = buffers.encode(at, buffers.nextLsn(), entry, array, buffer, size, tag, durableLsn,
            false);
      } catch (RuntimeException e) {
        buffers.abandonEmptyOversized();
        throw e;
      }
      lsn = buffers.commit(at, end, 1, size, null, durableLsn);
      appended(lsn);
      if (durable) {
        node = leadOrRegister(lsn); // in the same hold of the lock: one acquisition less
      }
    } finally {
      state.unlock();
    }
    if (node != null) {
      parkThenAwait(lsn, node);
    }
    return lsn;
  }

  /**
   * Appends {@code entries[0, count)} as one atomic group, in one batch: after a crash, all of
   * them are in the log or none. Nothing of the group is durable before all of it is.
   *
   * @param sizes the entries' sizes, checked by the caller
   * @param durable whether to return only once the group is durable
   * @return the LSN of the first record; {@link #lastLsn()} + 1 if {@code count} is 0
   */
  long appendGroup(LogEntry[] entries, int count, int[] sizes, long[] tags, boolean durable)
      throws IOException {
    long needed = AppendBuffers.groupBytes(sizes, count);
    if (needed > maxGroupBytes) {
      throw new IllegalArgumentException(
          "a batch of "
              + count
              + " records takes "
              + needed
              + " bytes, more than a segment holds ("
              + maxGroupBytes
              + "); append it in smaller batches");
    }
    long last;
    Waiters.Node node = null;
    state.lock();
    try {
      state.checkUsable();
      if (count == 0) {
        return buffers.nextLsn();
      }
      int at = reserve(needed);
      long durableLsn = state.flushedLsn();
      int end;
      try {
        end = buffers.encodeGroup(at, entries, count, sizes, tags, durableLsn);
      } catch (RuntimeException e) {
        buffers.abandonEmptyOversized();
        throw e;
      }
      last = buffers.commit(at, end, count, 0, sizes, durableLsn);
      appended(last);
      if (durable) {
        node = leadOrRegister(last);
      }
    } finally {
      state.unlock();
    }
    if (node != null) {
      parkThenAwait(last, node);
    }
    return last - count + 1;
  }

  private void appended(long lsn) {
    LAST_LSN.setRelease(this, lsn);
    if (buffers.sealedCount() > 0) {
      state.wakeFlusher();
    }
  }

  /** Waits until appends may go on and a buffer has room for {@code needed} bytes. */
  private int reserve(long needed) throws IOException {
    while (true) {
      while (maintenance.appendsStopped) {
        state.checkUsable();
        state.awaitChanged("a truncation");
      }
      state.checkUsable();
      int at = buffers.reserve(needed, state.flushedLsn());
      if (at != AppendBuffers.NO_BUFFER) {
        return at;
      }
      if (!roles.writing && IoRoles.mayLead()) {
        roles.leadWrite(0, true);
      } else {
        state.awaitChanged("a free buffer");
      }
    }
  }

  // ---- durability -----------------------------------------------------------------------------

  /**
   * Waits until {@code lsn} is durable, taking the force role when it is free (and leading the
   * write of everything appended so far); otherwise parks until a flush covers {@code lsn} or a
   * released role makes it the next leader. Returns without the lock once covered.
   */
  void awaitDurable(long lsn) throws IOException {
    while (state.flushedLsn() < lsn) {
      Waiters.Node node;
      state.lock();
      try {
        node = leadOrRegister(lsn);
      } finally {
        state.unlock();
      }
      if (node == null) {
        return;
      }
      parkThenAwait(lsn, node);
    }
  }

  /**
   * Leads flushes while the force role is free, until {@code lsn} is durable; otherwise registers
   * the thread as a waiter. Requires the lock.
   *
   * @return null once {@code lsn} is durable (or was cut), else the node to park on after
   *     unlocking
   */
  private Waiters.Node leadOrRegister(long lsn) throws IOException {
    while (true) {
      // lsn >= nextLsn only if truncateAfter cut the record after it had been made durable.
      if (state.flushedLsn() >= lsn || lsn >= buffers.nextLsn()) {
        return null;
      }
      state.checkFailure();
      boolean written = roles.writtenLsn >= lsn;
      if (roles.forcing || (!written && roles.writing)) {
        // The flush under way (or the next one) covers lsn; a write now would only split the
        // batch that the next leader writes in one call.
        return state.waiters.register(lsn, roles.flusherLeads());
      }
      if (roles.flusherLeads()) {
        state.wakeFlusher(); // it gathers this record with the other appenders' into one flush
        return state.waiters.register(lsn, true);
      }
      if (!IoRoles.mayLead()) {
        throw interruptedBefore(lsn);
      }
      roles.leadForce(false); // writes everything appended so far if it can, then flushes
    }
  }

  /** Parks without the lock until woken, then waits on until {@code lsn} is durable. */
  private void parkThenAwait(long lsn, Waiters.Node node) throws IOException {
    if (!node.park()) {
      withdrawInterrupted(node);
      throw interruptedBefore(lsn);
    }
    awaitDurable(lsn);
  }

  private void withdrawInterrupted(Waiters.Node node) {
    state.lock();
    try {
      if (!state.waiters.withdraw(node)) {
        state.waiters.wakeFirst(); // it was woken to lead: pass that on
      }
    } finally {
      state.unlock();
    }
  }

  private static InterruptedIOException interruptedBefore(long lsn) {
    return new InterruptedIOException(
        "interrupted before LSN " + lsn + " became durable; the record stays in the log");
  }

  /** Makes every record appended so far durable. {@return the flushed LSN} */
  long flush() throws IOException {
    long last;
    state.lock();
    try {
      state.checkUsable();
      last = buffers.nextLsn() - 1;
    } finally {
      state.unlock();
    }
    awaitDurable(last);
    return state.flushedLsn();
  }

  // ---- the background flusher, truncation and closing -----------------------------------------

  /** The body of the background flusher thread; see {@link BackgroundFlusher}. */
  void runFlusher(long intervalNanos) {
    new BackgroundFlusher(state, buffers, roles, maintenance).run(intervalNanos);
  }

  /** See {@link Maintenance#begin}. {@return the last LSN} */
  long beginMaintenance(boolean stopAppends) throws IOException {
    return maintenance.begin(stopAppends);
  }

  /** As {@link Maintenance#beginAside}. */
  long beginMaintenanceAside() throws IOException {
    return maintenance.beginAside();
  }

  /** As {@link Maintenance#endAside}. */
  LogFailedException endMaintenanceAside(Throwable failure) {
    return maintenance.endAside(failure);
  }

  /** See {@link Maintenance#end}. */
  void endMaintenance(Tail cut) {
    maintenance.end(cut);
  }

  /** See {@link Maintenance#fail}. */
  LogFailedException failMaintenance(Throwable e) {
    return maintenance.fail(e);
  }

  /** See {@link Maintenance#close}. */
  void close() throws IOException {
    maintenance.close();
  }

  /** Publishes the last LSN after a cut moved it. Requires the lock. */
  void lastLsnCut(long lsn) {
    LAST_LSN.setRelease(this, lsn);
  }
}
