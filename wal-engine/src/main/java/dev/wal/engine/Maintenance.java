package dev.wal.engine;

import dev.wal.LogFailedException;
import java.io.IOException;

/**
 * Truncations, resets and closing: what takes both I/O roles from group commit. One maintenance
 * at a time; with {@code stopAppends}, appends wait until it ends, and every record appended
 * before it is made durable first.
 *
 * <p>Instances are <b>not</b> thread-safe on their own: the fields are guarded by {@link
 * CommitState#lock}.
 */
final class Maintenance {
  private final CommitState state;
  private final AppendBuffers buffers;
  private final IoRoles roles;
  private final GroupCommit commit;

  /** Whether a maintenance holds the roles; guarded by lock. */
  boolean active;

  /** Whether appends wait for the maintenance to end; guarded by lock. */
  boolean appendsStopped;

  Maintenance(CommitState state, AppendBuffers buffers, IoRoles roles, GroupCommit commit) {
    this.state = state;
    this.buffers = buffers;
    this.roles = roles;
    this.commit = commit;
  }

  /**
   * Takes both I/O roles for a truncation or reset, one at a time. With {@code stopAppends},
   * appends wait until {@link #end} and every record appended so far is made durable
   * first.
   *
   * @return the last LSN
   */
  long begin(boolean stopAppends) throws IOException {
    state.lock();
    try {
      takeTurn();
      boolean holding = false;
      try {
        if (stopAppends) {
          appendsStopped = true;
          long last = buffers.nextLsn() - 1;
          state.unlock();
          try {
            commit.awaitDurable(last);
          } finally {
            state.lock();
          }
        }
        while (roles.writing || roles.forcing) {
          state.awaitChanged("the I/O roles");
        }
        state.checkUsable();
        roles.writing = true;
        roles.forcing = true;
        holding = true;
        return buffers.nextLsn() - 1;
      } finally {
        if (!holding) {
          releaseMaintenance();
        }
      }
    } finally {
      state.unlock();
    }
  }

  /**
   * Takes the maintenance turn without the I/O roles, for {@code truncateBefore}: it changes the
   * meta file and deletes segments older than the active one, which appends and flushes never
   * touch, so they go on meanwhile. Other maintenance and closing wait for {@link #endAside}.
   *
   * @return the last LSN
   */
  long beginAside() throws IOException {
    state.lock();
    try {
      takeTurn();
      return buffers.nextLsn() - 1;
    } finally {
      state.unlock();
    }
  }

  /** Waits until no other maintenance runs, then marks one running. Requires the lock. */
  private void takeTurn() throws IOException {
    state.checkUsable();
    while (active) {
      state.awaitChanged("another truncation");
      state.checkUsable();
    }
    active = true;
  }

  /** Releases what {@link #beginAside} took; if {@code e} is not null, fail-stops the log. */
  LogFailedException endAside(Throwable e) {
    state.lock();
    try {
      LogFailedException failed = e == null ? null : state.fail(e);
      active = false;
      state.signalChanged();
      return failed;
    } finally {
      state.unlock();
    }
  }

  /**
   * Releases what {@link #begin} took.
   *
   * @param cut where appends continue after a {@code truncateAfter} or a reset, or null
   */
  void end(GroupCommit.Tail cut) {
    state.lock();
    try {
      if (cut != null) {
        buffers.resetTail(cut); // the filling batch is empty: every record was written before
        roles.writtenLsn = cut.nextLsn() - 1;
        state.resetFlushedLsn(cut.nextLsn() - 1);
        commit.lastLsnCut(cut.nextLsn() - 1);
      }
      roles.writing = false;
      roles.forcing = false;
      releaseMaintenance();
      state.wakeEveryone(); // a cut may have moved the LSNs they wait for
    } finally {
      state.unlock();
    }
  }

  /** Fail-stops the log after a truncation's I/O failed, releasing the roles. */
  LogFailedException fail(Throwable e) {
    state.lock();
    try {
      LogFailedException failed = state.fail(e);
      roles.writing = false;
      roles.forcing = false;
      releaseMaintenance();
      return failed;
    } finally {
      state.unlock();
    }
  }

  private void releaseMaintenance() {
    active = false;
    appendsStopped = false;
    state.roleReleased(roles.flusherLeads());
  }

  /**
   * Refuses new appends, makes every appended record durable and keeps both I/O roles for good.
   * Uninterruptible. Calling it again does nothing.
   *
   * @throws LogFailedException if the log failed, now or before
   */
  void close() throws IOException {
    state.lock();
    boolean interrupted = Thread.interrupted();
    try {
      if (state.closing()) {
        return;
      }
      state.startClosing();
      while (active) { // a truncation under way (aside from the roles, or with them) finishes
        state.awaitChangedUninterruptibly();
      }
      long last = buffers.nextLsn() - 1;
      while (!state.failed() && state.flushedLsn() < last) {
        if (roles.writing || roles.forcing) {
          state.awaitChangedUninterruptibly();
        } else {
          roles.leadForce(false);
        }
      }
      while (roles.writing || roles.forcing) {
        state.awaitChangedUninterruptibly();
      }
      roles.writing = true;
      roles.forcing = true;
      state.checkFailure();
    } finally {
      state.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
