package dev.wal.engine;

import dev.wal.AlreadyClosedException;
import dev.wal.LogFailedException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the parts of group commit share: the one lock, what waiters wait on, the flushed LSN and
 * the fail-stop state. {@link AppendBuffers}, {@link IoRoles} and {@link GroupCommit} all run under
 * {@link #lock}; each of their fields says so.
 *
 * <p><b>Fail-stop.</b> The first I/O error is kept in {@link #failure}; every waiting and later
 * call throws {@link LogFailedException} with it as the cause, and {@link #flushedLsn} never moves
 * again.
 *
 * <p>Thread safety: safe for use by many threads; each field says what guards it.
 */
final class CommitState {
  /**
   * The one lock. Private so that every release goes through {@link #unlock} or one of the waits
   * below, which unpark the waiters woken under it (see {@link Waiters}); a release that skipped
   * them would leave a woken waiter parked.
   */
  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled on every change a waiter may wait for: durability, a free buffer, a role. */
  private final Condition changed = lock.newCondition();

  /**
   * Wakes the background flusher early: a batch was sealed, or a role it waits for was released
   * (see {@link #flusherAwaitsRole}).
   */
  private final Condition flusherWake = lock.newCondition();

  /**
   * Whether the background flusher waits for a role (it has a sealed batch to write or a flush
   * due) rather than for its deadline; only then does a released role wake it. A lone appender
   * releases the roles on every append, and waking the flusher each time for nothing costs an
   * unpark, and then the flusher's turn on the lock, which makes the next leader yield to gather
   * appends that are not coming. Guarded by {@link #lock}.
   */
  boolean flusherAwaitsRole;

  /** The threads waiting for durability, each woken alone. */
  final Waiters waiters;

  private final String logName;

  /** Written under {@link #lock}; read without it. */
  private volatile long flushedLsn;

  /** Guarded by {@link #lock}. */
  private Throwable failure;

  /** Guarded by {@link #lock}. */
  private boolean closing;

  CommitState(String logName, SpinWait spinWait) {
    this.logName = logName;
    this.waiters = new Waiters(spinWait);
  }

  /** Takes {@link #lock}. */
  void lock() {
    lock.lock();
  }

  /**
   * Releases {@link #lock}, then unparks the durability waiters woken while it was held (see
   * {@link Waiters}).
   */
  void unlock() {
    Thread[] woken = waiters.takeToUnpark();
    lock.unlock();
    Waiters.unpark(woken);
  }

  /** {@return whether other threads wait to take {@link #lock}} */
  boolean lockContended() {
    return lock.hasQueuedThreads();
  }

  /** Tells everyone waiting on {@link #changed} to look again. Requires {@link #lock}. */
  void signalChanged() {
    changed.signalAll();
  }

  /** Wakes the background flusher. Requires {@link #lock}. */
  void wakeFlusher() {
    flusherWake.signal();
  }

  /** {@return the highest LSN known durable} Lock-free. */
  long flushedLsn() {
    return flushedLsn;
  }

  /** Sets the flushed LSN, after a cut moved it back. Requires {@link #lock}. */
  void resetFlushedLsn(long lsn) {
    flushedLsn = lsn;
  }

  /**
   * Raises the flushed LSN to {@code lsn} and wakes the waiters. Requires {@link #lock}.
   *
   * @return how many durability waiters it woke
   */
  int publishFlushed(long lsn) {
    if (lsn > flushedLsn && failure == null) {
      flushedLsn = lsn;
    }
    int woken = waiters.wakeUpTo(flushedLsn);
    changed.signalAll();
    return woken;
  }

  /**
   * Tells the waiters that an I/O role was released: wakes the next leader (the background flusher
   * if {@code flusherLeads}, else the first durability waiter not yet covered) and everyone waiting
   * on {@link #changed}. Requires {@link #lock}.
   */
  void roleReleased(boolean flusherLeads) {
    waiters.wakeUpTo(flushedLsn);
    if (flusherLeads || flusherAwaitsRole) {
      flusherWake.signal();
    }
    if (!flusherLeads) {
      waiters.wakeFirst();
    }
    changed.signalAll();
  }

  /** Wakes every waiter of every kind, after a change they must all see. Requires {@link #lock}. */
  void wakeEveryone() {
    waiters.wakeAll();
    changed.signalAll();
    flusherWake.signal();
  }

  /** {@return whether the log failed} Requires {@link #lock}. */
  boolean failed() {
    return failure != null;
  }

  /** {@return whether close began} Requires {@link #lock}. */
  boolean closing() {
    return closing;
  }

  /** Marks the log closing and wakes everyone. Requires {@link #lock}. */
  void startClosing() {
    closing = true;
    wakeEveryone();
  }

  /** Fail-stops the log with {@code e}, unless it failed before. Requires {@link #lock}. */
  LogFailedException fail(Throwable e) {
    if (failure == null) {
      failure = e;
    }
    wakeEveryone();
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

  /** Throws if the log failed. Requires {@link #lock}. */
  void checkFailure() throws LogFailedException {
    if (failure != null) {
      throw logFailed();
    }
  }

  /** Throws if the log is closing or failed. Requires {@link #lock}. */
  void checkUsable() throws AlreadyClosedException, LogFailedException {
    if (closing) {
      throw new AlreadyClosedException("log " + logName);
    }
    checkFailure();
  }

  /** Waits for {@link #changed}, interruptibly. Requires {@link #lock}. */
  void awaitChanged(String what) throws InterruptedIOException {
    waiters.unparkNow();
    try {
      changed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + what);
    }
  }

  /** Waits for {@link #changed}, not interruptibly. Requires {@link #lock}. */
  void awaitChangedUninterruptibly() {
    waiters.unparkNow();
    changed.awaitUninterruptibly();
  }

  /**
   * Waits for {@link #flusherWake}, at most {@code nanos}. Requires {@link #lock}.
   *
   * @throws InterruptedException if the thread was interrupted
   */
  void awaitFlusherWake(long nanos) throws InterruptedException {
    waiters.unparkNow();
    flusherWake.awaitNanos(nanos);
  }
}
