package dev.wal.engine;

import java.io.IOException;

/**
 * The background flusher: writes batches that were sealed while nobody held the write role
 * (without forcing them: a full buffer goes to the operating system at once), and makes every
 * appended record durable within the flush interval, counted from when the last flush began,
 * whoever led it. It never forces on its interval while durability waiters lead: a flush every
 * interval would steal the lead from appenders that gather bigger groups. While many appenders
 * wait for slow flushes, it leads every flush itself ({@link IoRoles#flusherLeads}).
 *
 * <p>Runs on the log's flusher thread, under {@link CommitState#lock} except around storage
 * calls.
 */
final class BackgroundFlusher {
  private final CommitState state;
  private final AppendBuffers buffers;
  private final IoRoles roles;
  private final Maintenance maintenance;

  BackgroundFlusher(
      CommitState state, AppendBuffers buffers, IoRoles roles, Maintenance maintenance) {
    this.state = state;
    this.buffers = buffers;
    this.roles = roles;
    this.maintenance = maintenance;
  }

  /**
   * The body of the background flusher thread: writes batches sealed while nobody held the write
   * role (without forcing them), and makes every appended record durable within {@code
   * intervalNanos}. Returns when the log closes or fails (the failure is kept in the state, where
   * every caller sees it).
   */
  void run(long intervalNanos) {
    state.lock();
    roles.flusherRuns = true;
    try {
      while (!state.closing() && !state.failed()) {
        boolean sealed = buffers.sealedCount() > 0;
        if (sealed && !maintenance.active && !roles.writing) {
          roles.leadWrite(0, true);
          continue;
        }
        if (roles.flusherLeads() && !maintenance.active && !roles.writing && !roles.forcing) {
          roles.leadForce(true);
          continue;
        }
        long now = System.nanoTime();
        // Due an interval after the last flush began, whoever led it: a flush every interval
        // from here would steal the lead from appenders that gather bigger groups.
        long deadline = roles.lastForceNanos + intervalNanos;
        boolean due = now - deadline >= 0;
        if (due && !maintenance.active && !roles.forcing && !roles.writing
            && !state.waiters.any()) {
          if (state.flushedLsn() < buffers.nextLsn() - 1) {
            roles.leadForce(true);
          } else {
            roles.lastForceNanos = now; // nothing to flush: look again an interval later
          }
          continue;
        }
        // Until the deadline, or until a role it needs is released (then signalled).
        state.flusherAwaitsRole = sealed || due || roles.flusherLeads();
        try {
          state.awaitFlusherWake(due ? intervalNanos : deadline - now);
        } finally {
          state.flusherAwaitsRole = false;
        }
      }
    } catch (IOException e) {
      // Only LogFailedException reaches here: the failure is recorded and reported to every
      // caller; the flusher has nothing left to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      roles.flusherRuns = false; // appenders lead again, and those parked for it look again
      state.wakeEveryone();
      state.unlock();
    }
  }
}
