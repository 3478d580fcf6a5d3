package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsLock;
import java.io.IOException;

/**
 * Closing an open log: makes every appended record durable (group commit then refuses appends and
 * keeps both I/O roles), stops the flusher and the spare preparer, writes the clean-close marker
 * (see {@link LogMeta}; {@link WriteAheadLog#open(Vfs, WalConfig)} says why it is safe), closes
 * the log's files and releases the lock. Each step runs even if an earlier one failed, except the
 * marker, which is written only if nothing failed; the first failure is thrown with the later
 * ones suppressed in it.
 *
 * <p>Instances are <b>not</b> thread-safe: {@link WriteAheadLog#close()} calls {@link #run()} once.
 */
final class LogShutdown {
  private final Vfs vfs;
  private final VfsLock lock;
  private final Segments segments;
  private final SparePreparer spares;
  private final SegmentIo io;
  private final GroupCommit commit;
  private final Thread flusher;

  LogShutdown(
      Vfs vfs,
      VfsLock lock,
      Segments segments,
      SparePreparer spares,
      SegmentIo io,
      GroupCommit commit,
      Thread flusher) {
    this.vfs = vfs;
    this.lock = lock;
    this.segments = segments;
    this.spares = spares;
    this.io = io;
    this.commit = commit;
    this.flusher = flusher;
  }

  /** Closes the log, as {@link WriteAheadLog#close()} after its first call. */
  void run() throws IOException {
    // Cleared so that the local backend's channels survive the marker's write; restored below.
    boolean interrupted = Thread.interrupted();
    IOException failure = null;
    try {
      commit.close();
    } catch (IOException e) {
      failure = e;
    }
    while (flusher.isAlive()) {
      try {
        flusher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    failure = Closing.closeKeepingFirst(spares, failure);
    if (failure == null) {
      failure = markClosedCleanly();
    }
    failure = Closing.closeKeepingFirst(io, failure);
    failure = Closing.closeKeepingFirst(lock, failure);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Writes the clean-close marker; every write and flush of the log succeeded, and both I/O roles
   * are held for good. Nothing to do if the marker the log opened with is still on disk: then no
   * file changed since. {@return the failure, or null}
   */
  private IOException markClosedCleanly() {
    if (io.cleanMarkerKept()) {
      return null;
    }
    try {
      long[] firstLsns = segments.snapshot();
      LogMeta.CleanClose marker =
          new LogMeta.CleanClose(
              commit.lastLsn(), firstLsns[firstLsns.length - 1], io.active().size());
      new LogMeta(segments.logicalFirstLsn(), 0, marker).write(vfs);
      return null;
    } catch (IOException e) {
      return e;
    }
  }
}
