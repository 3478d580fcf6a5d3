package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;

/**
 * The segment that {@code truncateBefore} dropped and the log keeps, one at a time, to become the
 * next spare ({@link SegmentNames#RECYCLED}), as RocksDB's {@code recycle_log_file_num} does: a
 * log truncated behind its appends then writes no zeros for its new segments, only records. The
 * file keeps its records; the spare made from it carries their salt, which the new segment's
 * header records as its previous salt (see {@link WalFormat}).
 *
 * <p>Thread safety: safe for use by many threads. {@link #keep} runs on the thread of a {@code
 * truncateBefore} (which holds no I/O role), {@link #takeAsSpare} on the spare preparer's, and
 * {@link #discard} under both I/O roles; the renames to and from the kept name are ordered by a
 * lock.
 */
final class KeptSegment {
  private final Vfs vfs;
  private final long segmentBytes;
  private final boolean enabled;
  private final Object lock = new Object();

  /** Whether a dropped segment was ever kept: the log is being truncated behind its appends. */
  private volatile boolean truncatedBehind;

  /** Whether a kept segment waits for a preparation to take it. */
  private volatile boolean waiting;

  KeptSegment(Vfs vfs, WalConfig config) {
    this.vfs = vfs;
    this.segmentBytes = config.segmentBytes();
    this.enabled = config.recycleSegments() && config.preallocate();
  }

  /**
   * Keeps segment {@code name}, which truncateBefore dropped, or deletes it if one is kept already,
   * if it is not of the full size (a segment that grew as it was written), or if recycling is off.
   * Either way the name is gone; the caller syncs the directory.
   */
  void keep(String name) throws IOException {
    boolean keep = false;
    if (enabled) {
      try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
        keep = file.size() == segmentBytes;
      }
    }
    synchronized (lock) {
      if (keep && !vfs.exists(SegmentNames.RECYCLED)) {
        vfs.rename(name, SegmentNames.RECYCLED);
        truncatedBehind = true;
        waiting = true;
      } else {
        vfs.delete(name);
      }
    }
  }

  /** {@return whether a dropped segment was ever kept} */
  boolean truncatedBehind() {
    return truncatedBehind;
  }

  /** {@return whether a kept segment waits to be taken} */
  boolean waiting() {
    return waiting;
  }

  /**
   * Renames the kept segment, if there is one, to {@link SegmentNames#SPARE} (which must not
   * exist) and opens it; deletes it instead if it is not a whole segment of this log's size with
   * an intact header, whose salt its records carry.
   *
   * @return the spare, or null if there was no usable kept segment
   */
  SparePreparer.Spare takeAsSpare() throws IOException {
    synchronized (lock) {
      waiting = false;
      if (!enabled || !vfs.exists(SegmentNames.RECYCLED)) {
        return null;
      }
      vfs.rename(SegmentNames.RECYCLED, SegmentNames.SPARE);
    }
    VfsFile file = vfs.open(SegmentNames.SPARE, Vfs.OpenMode.EXISTING);
    boolean success = false;
    try {
      long salt = file.size() == segmentBytes ? SegmentHeader.saltOf(file) : 0;
      if (salt != 0) {
        success = true;
        return new SparePreparer.Spare(file, salt, segmentBytes);
      }
    } finally {
      if (!success) {
        file.close();
      }
    }
    vfs.delete(SegmentNames.SPARE);
    return null;
  }

  /** Deletes the kept segment, if there is one: for a reset. */
  void discard() throws IOException {
    synchronized (lock) {
      waiting = false;
      if (vfs.exists(SegmentNames.RECYCLED)) {
        vfs.delete(SegmentNames.RECYCLED);
      }
    }
  }
}
