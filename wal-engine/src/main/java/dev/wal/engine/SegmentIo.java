package dev.wal.engine;

import dev.wal.vfs.FlushFailedException;
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
 * <p>In a recycled segment file, every batch is followed by a block of zeros written with it (the
 * next batch overwrites it), so that the log ends at zeros there as in a zero-filled file; see
 * {@link WalFormat}.
 *
 * <p>Thread safety: {@link #write} (and the rotation in it) runs under the write role and {@link
 * #flush} under the force role (see {@link IoRoles}); they may run at once, as a {@code VfsFile}
 * allows, except their flushes, which take turns ({@link #flushAlone}). The handle fields are
 * guarded by this object: a rotation that replaces the handle a flush is forcing leaves it open
 * for that flush to close. Truncations hold both roles.
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

  /** Serialises every flush of a segment; see {@link #flushAlone}. */
  private final Object flushLock = new Object();

  /** Zeros for the block after each batch in a recycled segment; read, never written. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(WalFormat.MAX_BLOCK_BYTES);

  /**
   * The block size of the active segment if its file was recycled, or 0; and the file's size.
   * Confined to the write role (truncations hold it too), or to open.
   */
  private int recycledBlockBytes;

  private long activeBytes;

  /** The first flush that failed, or null; guarded by flushLock. */
  private IOException flushFailure;

  /**
   * The meta file's content while it still holds the clean-close marker the log opened with, or
   * null: the marker must be cleared before the log changes any file (see {@link LogMeta}).
   * Written under metaLock, which orders every write of the meta file while the log is open: the
   * write role clears the marker while {@code truncateBefore}, which holds no role, may write a
   * new first LSN, and the older content must never land last.
   */
  private volatile LogMeta cleanMeta;

  private final Object metaLock = new Object();

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
    writeEndOfLog(active(), batch.fileOffset + batch.fill);
    spares.onWritten(batch.fileOffset + batch.fill);
    return flushed;
  }

  /**
   * Notes the header and size of the active segment, whose file may be recycled: if it is, every
   * batch is followed by a block of zeros.
   */
  void activeHeader(SegmentHeader header, long fileBytes) {
    recycledBlockBytes = header.recycled() ? header.blockBytes() : 0;
    activeBytes = fileBytes;
  }

  /**
   * Writes the zeros that end the log at {@code end} if the active segment's file is recycled
   * (and holds earlier records there); does nothing otherwise.
   */
  void writeEndOfLog(VfsFile file, long end) throws IOException {
    int bytes = (int) Math.min(recycledBlockBytes, activeBytes - end);
    if (bytes > 0) {
      file.write(end, ZEROS.duplicate().limit(bytes));
    }
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
      flushAlone(file);
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
   * Flushes a segment's handle, one flush at a time, and fails every flush after one failed.
   *
   * <p>Design note: Linux reports a failed writeback to one fsync only, so a second fsync of the
   * same file running at the same time may report success with the data gone (Rebello et al.,
   * ATC '20). A rotation whose flush of the old segment overlapped a failed force of it would
   * then give the old segment a successor while its last records are not durable: after a power
   * loss, a hole before durable records that no recovery opens past. Found by the crash suite
   * ({@code LinuxFsyncFailureTest}, once a fault rule could match the renamed spare's handle).
   */
  private void flushAlone(VfsFile file) throws IOException {
    synchronized (flushLock) {
      if (flushFailure != null) {
        throw new FlushFailedException(file.name(), flushFailure);
      }
      try {
        file.flush();
      } catch (IOException e) {
        flushFailure = e;
        throw e;
      }
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
      flushAlone(old);
    }
    String name = SegmentNames.segmentName(header.firstLsn());
    SparePreparer.Spare spare = preallocated ? spares.take() : spares.takeReadyOrFresh();
    SegmentHeader written = header.withPreviousSalt(spare.previousSalt());
    try {
      spare.file().write(0, written.encode());
      activeHeader(written, spare.bytes());
      writeEndOfLog(spare.file(), Layout.dataOffset(written.blockBytes()));
    } catch (IOException | RuntimeException e) {
      spare.file().close();
      throw e;
    }
    spares.install(spare.file(), name);
    replaceActive(vfs.open(name, Vfs.OpenMode.EXISTING));
    segments.add(index);
    if (old != null) {
      spares.onRotated(); // segments are filling: the next one may be needed soon
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
    synchronized (metaLock) {
      cleanMeta = meta;
    }
  }

  /** {@return whether the clean-close marker the log opened with is still on disk} */
  boolean cleanMarkerKept() {
    synchronized (metaLock) {
      return cleanMeta != null;
    }
  }

  /** Clears the clean-close marker durably, if it is still on disk; before any change to a file. */
  void clearCleanMarker() throws IOException {
    if (cleanMeta == null) {
      return; // every write but the first after a clean open: no lock, no wait for a truncation
    }
    synchronized (metaLock) {
      if (cleanMeta != null) {
        cleanMeta.withoutCleanClose().write(vfs);
        cleanMeta = null;
      }
    }
  }

  /** Writes {@code meta}, which holds no clean-close marker, durably. */
  void writeMeta(LogMeta meta) throws IOException {
    synchronized (metaLock) {
      meta.write(vfs);
      cleanMeta = null;
    }
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
