package dev.wal.engine;

import java.io.IOException;

/**
 * The log's truncations and its reset, run as group commit's maintenance, one at a time: each
 * checks its LSN, takes both I/O roles ({@link Maintenance}; not {@code truncateBefore}, which
 * touches no file that appends and flushes use), runs the {@link Truncation} that changes the
 * files and gives the roles back with where appends continue; if the I/O fails, the log
 * fail-stops. The
 * crash rules are in {@link Truncation} and {@link Recovery}; the contracts on {@link
 * WriteAheadLog#truncateBefore}, {@link WriteAheadLog#truncateAfter} and {@link
 * WriteAheadLog#reset}.
 *
 * <p>Thread safety: safe for use by many threads; maintenance runs one at a time.
 */
final class LogTruncations {
  private final GroupCommit commit;
  private final Truncation truncation;
  private final Segments segments;
  private final int vfsBlockBytes;

  LogTruncations(GroupCommit commit, Truncation truncation, Segments segments, int vfsBlockBytes) {
    this.commit = commit;
    this.truncation = truncation;
    this.segments = segments;
    this.vfsBlockBytes = vfsBlockBytes;
  }

  /** As {@link WriteAheadLog#truncateBefore}. */
  void truncateBefore(long lsn) throws IOException {
    long lastBefore = commit.lastLsn();
    if (lsn > lastBefore + 1) {
      throw new IllegalArgumentException(
          "cannot truncate before LSN " + lsn + ": the last appended LSN is " + lastBefore);
    }
    if (lsn - 1 > commit.flushedLsn()) {
      // so that no crash can leave the log ending below its logical first LSN
      commit.awaitDurable(lsn - 1);
    }
    // Aside from the I/O roles: appends and flushes go on while the meta file is written and old
    // segments are dropped (each a flush or a directory sync, which on a busy disk take long).
    long last = commit.beginMaintenanceAside();
    if (lsn > last + 1) {
      commit.endMaintenanceAside(null);
      throw new IllegalArgumentException(
          "cannot truncate before LSN " + lsn + ": the last appended LSN is " + last);
    }
    try {
      truncation.dropBefore(lsn);
    } catch (IOException | RuntimeException | Error e) {
      throw commit.endMaintenanceAside(e);
    }
    commit.endMaintenanceAside(null);
  }

  /** As {@link WriteAheadLog#truncateAfter}. */
  void truncateAfter(long lsn) throws IOException {
    long last = commit.beginMaintenance(true);
    long first = segments.firstLsn();
    if (lsn < first - 1 || lsn > last) {
      commit.endMaintenance(null);
      throw new IllegalArgumentException(
          "cannot truncate after LSN "
              + lsn
              + ": the log holds LSNs "
              + first
              + " to "
              + last
              + " (use "
              + (first - 1)
              + " to cut every record)");
    }
    if (lsn == last) {
      commit.endMaintenance(null);
      return;
    }
    runHoldingRoles(() -> truncation.cutAfter(lsn, vfsBlockBytes));
  }

  /** As {@link WriteAheadLog#reset}. */
  void reset(long nextLsn) throws IOException {
    if (nextLsn < 1 || nextLsn > SegmentNames.MAX_FIRST_LSN) {
      throw new IllegalArgumentException(
          "nextLsn (" + nextLsn + ") must be from 1 to " + SegmentNames.MAX_FIRST_LSN + " (2^62)");
    }
    commit.beginMaintenance(true);
    runHoldingRoles(() -> truncation.reset(nextLsn, vfsBlockBytes));
  }

  /** The I/O of a truncation, run holding both I/O roles. */
  private interface Cut {
    /** {@return where appends continue, or null if they continue where they were} */
    GroupCommit.Tail run() throws IOException;
  }

  /**
   * Runs {@code cut}, holding both I/O roles, then gives them back with where appends continue;
   * if it fails, the log fail-stops and the roles are released all the same.
   */
  private void runHoldingRoles(Cut cut) throws IOException {
    GroupCommit.Tail tail;
    try {
      tail = cut.run();
    } catch (IOException | RuntimeException | Error e) {
      throw commit.failMaintenance(e);
    }
    commit.endMaintenance(tail);
  }
}
