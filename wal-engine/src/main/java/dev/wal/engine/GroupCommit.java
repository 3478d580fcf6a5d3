package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.AlreadyClosedException;
import dev.wal.LogEntry;
import dev.wal.LogFailedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends records into buffers and makes them durable with group commit.
 *
 * <p><b>Appending.</b> An append takes {@link #lock}, gets the next LSN and encodes its record
 * straight into the filling {@link Batch} (payload, header, CRC32C), allocating nothing. When the
 * record does not fit, the batch is sealed: a trailer pads it to a block boundary and it joins the
 * queue of batches to write; the other pooled batch becomes the filling one.
 *
 * <p><b>The I/O role.</b> One thread at a time holds it ({@link #ioBusy}): it writes sealed batches
 * in order and flushes, with the lock released, so appenders keep filling the next batch while it
 * works. Whoever needs I/O and finds no holder takes the role itself (leader-based group commit):
 * an appender waiting for durability, an appender that found no free buffer, the background
 * flusher. Others wait on {@link #changed}; a flush releases every waiter it covered at once.
 * Writes and flushes are strictly sequential, and a flush covers the LSNs whose batches were
 * written before it began; recovery relies on both (see {@link Recovery}).
 *
 * <p><b>Fail-stop.</b> The first I/O error is kept in {@link #failure}; every waiting and later
 * call throws {@link LogFailedException} with it as the cause, and {@link #flushedLsn} never moves
 * again. A thread interrupted while it holds the I/O role may make the storage fail (the local
 * backend's channels close on interrupt), which fail-stops the log; so a thread that is already
 * interrupted never takes the role.
 *
 * <p>Thread safety: safe for use by many threads; each field says what guards it.
 */
final class GroupCommit {
  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled on every change a waiter may wait for: durability, a free buffer, the I/O role. */
  private final Condition changed = lock.newCondition();

  /** Wakes the background flusher early: a batch was sealed, or the role was released. */
  private final Condition flusherWake = lock.newCondition();

  private final String logName;
  private final long segmentBytes;
  private final SegmentIo io; // used only by the holder of the I/O role

  private final RecordEncoder encoder = new RecordEncoder(); // guarded by lock
  private final ArrayDeque<Batch> sealed = new ArrayDeque<>(); // guarded by lock
  private final ArrayDeque<Batch> free = new ArrayDeque<>(); // guarded by lock
  private Batch filling; // guarded by lock
  private int blockBytes; // guarded by lock
  private long nextLsn; // guarded by lock
  private long writtenLsn; // guarded by lock
  private long nextBatchOffset; // guarded by lock
  private SegmentHeader nextBatchStartsSegment; // guarded by lock
  private long segmentCapacity; // guarded by lock
  private boolean ioBusy; // guarded by lock
  private boolean maintenance; // guarded by lock
  private boolean appendsStopped; // guarded by lock
  private boolean closing; // guarded by lock
  private Throwable failure; // guarded by lock

  /** Written under lock; read without it. */
  private volatile long flushedLsn;

  GroupCommit(String logName, WalConfig config, SegmentIo io, Tail tail) {
    this.logName = logName;
    this.segmentBytes = config.segmentBytes();
    this.io = io;
    for (int i = 0; i < 2; i++) {
      free.add(new Batch(config.bufferBytes(), true));
    }
    resetTail(tail);
  }

  /**
   * Where appends continue: the next LSN, the active segment's salt, where the next batch goes in
   * it, how far it may grow, and the batch alignment.
   */
  record Tail(long nextLsn, long salt, long writeOffset, long capacity, int blockBytes) {}

  private void resetTail(Tail tail) {
    nextLsn = tail.nextLsn();
    writtenLsn = tail.nextLsn() - 1;
    flushedLsn = tail.nextLsn() - 1;
    encoder.salt(tail.salt());
    nextBatchOffset = tail.writeOffset();
    segmentCapacity = tail.capacity();
    blockBytes = tail.blockBytes();
    nextBatchStartsSegment = null;
  }

  long flushedLsn() {
    return flushedLsn;
  }

  long lastLsn() {
    lock.lock();
    try {
      return nextLsn - 1;
    } finally {
      lock.unlock();
    }
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
    lock.lock();
    try {
      while (appendsStopped) {
        checkUsable();
        awaitChanged("a truncation");
      }
      checkUsable();
      long lsn = encode(entry, array, buffer, size, tag);
      if (durable) {
        awaitDurableLocked(lsn);
      }
      return lsn;
    } finally {
      lock.unlock();
    }
  }

  private long encode(LogEntry entry, byte[] array, ByteBuffer buffer, int size, long tag)
      throws IOException {
    int at = reserve(size);
    Batch batch = filling;
    ByteBuffer target = batch.buffer;
    long lsn = nextLsn;
    RecordEncoder.putHeader(target, at, size, lsn, tag, flushedLsn);
    int payloadAt = at + RECORD_HEADER_BYTES;
    if (entry != null) {
      writeEntry(entry, target, payloadAt, size);
    } else if (array != null) {
      target.put(payloadAt, array);
    } else {
      target.put(payloadAt, buffer, buffer.position(), size);
    }
    batch.fill = encoder.seal(target, at, size);
    if (batch.firstLsn == 0) {
      batch.firstLsn = lsn;
    }
    batch.lastLsn = lsn;
    nextLsn = lsn + 1;
    if (!batch.pooled) {
      seal();
    }
    return lsn;
  }

  private void writeEntry(LogEntry entry, ByteBuffer target, int payloadAt, int size) {
    int end = payloadAt + size;
    target.clear().position(payloadAt).limit(end);
    try {
      entry.writeTo(target);
      if (target.position() != end || target.limit() != end) {
        throw new IllegalStateException(
            "entry "
                + entry
                + " has size() "
                + size
                + " but its writeTo wrote "
                + (target.position() - payloadAt)
                + " bytes (or changed the buffer's limit); the record is refused");
      }
    } catch (RuntimeException e) {
      target.clear();
      abandonEmptyOversized();
      throw e;
    }
    target.clear();
  }

  /**
   * Finds room for a record in the filling batch, sealing it, planning a new segment or making an
   * oversized batch as needed.
   *
   * @return the record's index in the filling batch
   */
  private int reserve(int size) throws IOException {
    long needed = Layout.recordBytes(size) + RECORD_HEADER_BYTES; // the record and a trailer
    while (true) {
      Batch batch = fillingBatch();
      long segmentRoom = segmentCapacity - batch.fileOffset;
      if (batch.fill + needed <= Math.min(batch.capacity, segmentRoom)) {
        return batch.fill;
      }
      if (!batch.isEmpty()) {
        seal();
      } else if (needed > segmentRoom) {
        planNewSegment(batch);
      } else {
        // Fits in the segment but not in a pooled buffer: a batch of its own, written whole.
        free.addFirst(batch);
        Batch oversized = new Batch((int) Layout.alignUp(needed, blockBytes), false);
        oversized.reset(batch.fileOffset, batch.startsSegment);
        filling = oversized;
      }
    }
  }

  private Batch fillingBatch() throws IOException {
    while (filling == null) {
      Batch batch = free.poll();
      if (batch != null) {
        batch.reset(nextBatchOffset, nextBatchStartsSegment);
        nextBatchStartsSegment = null;
        filling = batch;
      } else if (!ioBusy && !Thread.currentThread().isInterrupted()) {
        lead(0, true);
      } else {
        awaitChanged("a free buffer");
        checkUsable();
      }
    }
    return filling;
  }

  private void planNewSegment(Batch empty) {
    if (empty.startsSegment != null) {
      throw new IllegalStateException("a record does not fit in an empty segment: " + empty.fill);
    }
    long salt = ThreadLocalRandom.current().nextLong();
    empty.startsSegment = new SegmentHeader(nextLsn, salt, blockBytes);
    empty.fileOffset = Layout.dataOffset(blockBytes);
    segmentCapacity = segmentBytes;
    encoder.salt(salt);
  }

  private void abandonEmptyOversized() {
    Batch batch = filling;
    if (batch != null && !batch.pooled && batch.isEmpty()) {
      filling = null;
      nextBatchOffset = batch.fileOffset;
      nextBatchStartsSegment = batch.startsSegment;
    }
  }

  /** Seals the filling batch with its trailer and queues it for writing. */
  private void seal() {
    Batch batch = filling;
    filling = null;
    batch.fill = encoder.trailer(batch.buffer, batch.fill, blockBytes, flushedLsn);
    nextBatchOffset = batch.fileOffset + batch.fill;
    sealed.add(batch);
    flusherWake.signal();
  }

  // ---- durability -----------------------------------------------------------------------------

  /** Waits until {@code lsn} is durable, taking the I/O role when nobody holds it. */
  void awaitDurable(long lsn) throws IOException {
    lock.lock();
    try {
      awaitDurableLocked(lsn);
    } finally {
      lock.unlock();
    }
  }

  /** Makes every record appended so far durable. {@return the flushed LSN} */
  long flush() throws IOException {
    lock.lock();
    try {
      checkUsable();
      awaitDurableLocked(nextLsn - 1);
      return flushedLsn;
    } finally {
      lock.unlock();
    }
  }

  private void awaitDurableLocked(long lsn) throws IOException {
    // lsn >= nextLsn only if truncateAfter cut the record after it had been made durable.
    while (flushedLsn < lsn && lsn < nextLsn) {
      checkFailure();
      if (ioBusy) {
        awaitChanged("LSN " + lsn + " to become durable");
      } else if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException(
            "interrupted before LSN " + lsn + " became durable; the record stays in the log");
      } else {
        lead(lsn, false);
      }
    }
  }

  /**
   * Holds the I/O role until {@code target} is durable: writes sealed batches in order, seals the
   * filling batch when it holds {@code target}, and flushes. With {@code drain}, also writes the
   * batches sealed when it started (without flushing them).
   */
  private void lead(long target, boolean drain) throws IOException {
    ioBusy = true;
    try {
      int toDrain = drain ? sealed.size() : 0;
      while (true) {
        checkFailure();
        Batch next = sealed.peek();
        if (next != null && (writtenLsn < target || toDrain-- > 0)) {
          write(sealed.poll());
        } else if (flushedLsn >= target) {
          return;
        } else if (writtenLsn < target) {
          seal(); // the filling batch holds target
        } else {
          flushWritten();
        }
      }
    } finally {
      ioBusy = false;
      changed.signalAll();
      flusherWake.signal();
    }
  }

  private void write(Batch batch) throws IOException {
    long writtenBefore = writtenLsn;
    boolean flushedBefore;
    lock.unlock();
    try {
      flushedBefore = io.write(batch);
    } catch (IOException | RuntimeException | Error e) {
      lock.lock();
      throw fail(e);
    }
    lock.lock();
    if (flushedBefore) {
      publishFlushed(writtenBefore);
    }
    writtenLsn = batch.lastLsn;
    if (batch.pooled) {
      free.add(batch);
    }
    changed.signalAll();
  }

  private void flushWritten() throws IOException {
    long covered = writtenLsn;
    lock.unlock();
    try {
      io.flush();
    } catch (IOException | RuntimeException | Error e) {
      lock.lock();
      throw fail(e);
    }
    lock.lock();
    publishFlushed(covered);
  }

  private void publishFlushed(long lsn) {
    if (lsn > flushedLsn) {
      flushedLsn = lsn;
    }
    changed.signalAll();
  }

  // ---- the background flusher ---------------------------------------------------------------

  /**
   * The body of the background flusher thread: writes batches sealed while nobody held the I/O
   * role, and makes every appended record durable within {@code intervalNanos}. Returns when the
   * log closes or fails (the failure is kept in {@link #failure}, where every caller sees it).
   */
  void runFlusher(long intervalNanos) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + intervalNanos;
      while (!closing && failure == null) {
        boolean canLead = !ioBusy && !maintenance;
        if (canLead && !sealed.isEmpty()) {
          lead(0, true);
          continue;
        }
        long now = System.nanoTime();
        if (now - deadline < 0) {
          flusherWake.awaitNanos(deadline - now);
        } else if (canLead) {
          deadline = now + intervalNanos;
          if (flushedLsn < nextLsn - 1) {
            lead(nextLsn - 1, false);
          }
        } else {
          flusherWake.awaitNanos(intervalNanos); // signalled when the I/O role is released
        }
      }
    } catch (IOException e) {
      // Only LogFailedException reaches here: the failure is recorded and reported to every
      // caller; the flusher has nothing left to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  // ---- truncation -----------------------------------------------------------------------------

  /**
   * Takes the I/O role for a truncation, one truncation at a time. With {@code stopAppends},
   * appends wait until {@link #endMaintenance} and every record appended so far is made durable
   * first.
   *
   * @return the last LSN
   */
  long beginMaintenance(boolean stopAppends) throws IOException {
    lock.lock();
    try {
      checkUsable();
      while (maintenance) {
        awaitChanged("another truncation");
        checkUsable();
      }
      maintenance = true;
      boolean holding = false;
      try {
        if (stopAppends) {
          appendsStopped = true;
          awaitDurableLocked(nextLsn - 1);
        }
        while (ioBusy) {
          awaitChanged("the I/O role");
        }
        checkUsable();
        ioBusy = true;
        holding = true;
        return nextLsn - 1;
      } finally {
        if (!holding) {
          maintenance = false;
          appendsStopped = false;
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Releases what {@link #beginMaintenance} took.
   *
   * @param cut where appends continue after a {@code truncateAfter}, or null
   */
  void endMaintenance(Tail cut) {
    lock.lock();
    try {
      if (cut != null) {
        if (filling != null && filling.pooled) {
          free.add(filling); // empty: every appended record was written before the cut
        }
        filling = null;
        resetTail(cut);
      }
      ioBusy = false;
      maintenance = false;
      appendsStopped = false;
      changed.signalAll();
      flusherWake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Fail-stops the log after a truncation's I/O failed, releasing the role. */
  LogFailedException failMaintenance(Throwable e) {
    lock.lock();
    try {
      LogFailedException failed = fail(e);
      ioBusy = false;
      maintenance = false;
      appendsStopped = false;
      changed.signalAll();
      return failed;
    } finally {
      lock.unlock();
    }
  }

  // ---- closing and failure ------------------------------------------------------------------

  /**
   * Refuses new appends, makes every appended record durable and keeps the I/O role for good.
   * Uninterruptible. Calling it again does nothing.
   *
   * @throws LogFailedException if the log failed, now or before
   */
  void close() throws IOException {
    lock.lock();
    boolean interrupted = Thread.interrupted();
    try {
      if (closing) {
        return;
      }
      closing = true;
      changed.signalAll();
      flusherWake.signal();
      long last = nextLsn - 1;
      while (failure == null && flushedLsn < last) {
        if (ioBusy) {
          changed.awaitUninterruptibly();
        } else {
          lead(last, false);
        }
      }
      while (ioBusy) {
        changed.awaitUninterruptibly();
      }
      ioBusy = true;
      checkFailure();
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private LogFailedException fail(Throwable e) {
    if (failure == null) {
      failure = e;
    }
    changed.signalAll();
    flusherWake.signal();
    return logFailed();
  }

  private LogFailedException logFailed() {
    return new LogFailedException(
        "log "
            + logName
            + " stopped after an I/O error (LSNs up to "
            + flushedLsn
            + " are durable); close and reopen it to recover",
        failure);
  }

  private void checkFailure() throws LogFailedException {
    if (failure != null) {
      throw logFailed();
    }
  }

  private void checkUsable() throws IOException {
    if (closing) {
      throw new AlreadyClosedException("log " + logName);
    }
    checkFailure();
  }

  private void awaitChanged(String what) throws InterruptedIOException {
    try {
      changed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + what);
    }
  }
}
