package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The log's writes, flushes and rotations: what the thread holding the I/O role does with a
 * sealed {@link Batch}. Holds the open handle of the active (newest) segment.
 *
 * <p>Rotation order, which recovery relies on: the old segment is flushed before the new one
 * gets its name, and the directory is synced before the first batch is written to it. So a
 * segment that is not the newest has been flushed whole, and damage in it is corruption.
 *
 * <p>Thread safety: {@link #write} (and the rotation in it) runs under the write role and {@link
 * #flush} under the force role (see {@link IoRoles}); they may run at once, as a {@code VfsFile}
 * allows. The handle fields are guarded by this object: a rotation that replaces the handle a
 * flush is forcing leaves it open for that flush to close. Truncations hold both roles.
 */
final class SegmentIo implements Closeable {
  private final Vfs vfs;
  private final SparePreparer spares;
  private final Segments segments;
  private VfsFile active; // guarded by this

  /** The handle a flush under way is forcing, or null; guarded by this. */
  private VfsFile flushing;

  /** An old active handle to close once {@link #flushing} lets go of it; guarded by this. */
  private VfsFile retired;

  /**
   * The meta file's content while it still holds the clean-close marker the log opened with, or
   * null: the marker must be cleared before the log changes any file (see {@link LogMeta}).
   * Confined to the thread holding the write role (truncations hold it too), or to open and close.
   */
  private LogMeta cleanMeta;

  SegmentIo(Vfs vfs, SparePreparer spares, Segments segments, VfsFile active) {
    this.vfs = vfs;
    this.spares = spares;
    this.segments = segments;
    this.active = active;
  }

  /**
   * Writes a sealed batch, opening its segment first if it starts one.
   *
   * @return true if the previous segment was flushed on the way, so that everything written
   *     before this batch is durable
   */
  boolean write(Batch batch) throws IOException {
    clearCleanMarker();
    boolean flushed = false;
    if (batch.startsSegment != null) {
      flushed = active() != null;
      // A rotation never waits for preallocation: appenders may be waiting for this write.
      startSegment(batch.startsSegment.header(), batch.startsSegment.index(), false);
    }
    ByteBuffer buffer = batch.buffer;
    buffer.clear().limit(batch.fill);
    active().write(batch.fileOffset, buffer);
    spares.onWritten(batch.fileOffset + batch.fill);
    return flushed;
  }

  /**
   * Makes everything written to the active segment durable. A rotation may replace the handle
   * meanwhile; the old one stays open until this returns.
   */
  void flush() throws IOException {
    VfsFile file;
    synchronized (this) {
      file = active;
      flushing = file;
    }
    IOException failure = null;
    try {
      file.flush();
    } catch (IOException e) {
      failure = e;
    } finally {
      VfsFile toClose;
      synchronized (this) {
        flushing = null;
        toClose = retired;
        retired = null;
      }
      failure = Closing.closeKeepingFirst(toClose, failure);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Flushes the active segment, then makes a new one from the spare and makes it active.
   *
   * @param header the new segment's header
   * @param index the new segment's index, published with it
   * @param preallocated whether to wait for the preallocated spare, or take an empty file if it
   *     is not ready (see {@link SparePreparer#takeReadyOrFresh})
   */
  void startSegment(SegmentHeader header, SegmentIndex index, boolean preallocated)
      throws IOException {
    VfsFile old = active();
    if (old != null) {
      old.flush();
    }
    String name = SegmentNames.segmentName(header.firstLsn());
    VfsFile spare = preallocated ? spares.take() : spares.takeReadyOrFresh();
    try {
      spare.write(0, header.encode());
    } catch (IOException | RuntimeException e) {
      spare.close();
      throw e;
    }
    spares.install(spare, name);
    replaceActive(vfs.open(name, Vfs.OpenMode.EXISTING));
    segments.add(index);
    if (old != null) {
      spares.prepareAhead(); // segments are filling: the next one may be needed soon
    }
  }

  /**
   * Makes {@code next} (possibly null) the active handle and closes the old one, or leaves it to
   * the flush under way on it to close.
   */
  void replaceActive(VfsFile next) throws IOException {
    VfsFile toClose;
    synchronized (this) {
      VfsFile old = active;
      active = next;
      if (old != null && old == flushing) {
        retired = old;
        toClose = null;
      } else {
        toClose = old;
      }
    }
    IOException failure = Closing.closeKeepingFirst(toClose, null);
    if (failure != null) {
      throw failure;
    }
  }

  /** Notes that the meta file on disk holds a clean-close marker, {@code meta}'s. */
  void keepCleanMarker(LogMeta meta) {
    cleanMeta = meta;
  }

  /** {@return whether the clean-close marker the log opened with is still on disk} */
  boolean cleanMarkerKept() {
    return cleanMeta != null;
  }

  /** Clears the clean-close marker durably, if it is still on disk; before any change to a file. */
  void clearCleanMarker() throws IOException {
    if (cleanMeta != null) {
      cleanMeta.withoutCleanClose().write(vfs);
      cleanMeta = null;
    }
  }

  /** Notes that a meta file without the marker was written. */
  void cleanMarkerCleared() {
    cleanMeta = null;
  }

  /** {@return the active segment's handle, or null} */
  synchronized VfsFile active() {
    return active;
  }

  @Override
  public void close() throws IOException {
    replaceActive(null);
  }
}
