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
 * <p>Thread safety: {@link #write} runs under the write role and {@link #flush} under the force
 * role (see {@link IoRoles}); they may run at once, as a {@code VfsFile} allows. Everything that
 * replaces the active handle (a rotation, a truncation) holds both roles.
 */
final class SegmentIo implements Closeable {
  private final Vfs vfs;
  private final SparePreparer spares;
  private final Segments segments;
  private VfsFile active;

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
    boolean flushed = false;
    if (batch.startsSegment != null) {
      flushed = active != null;
      startSegment(batch.startsSegment.header(), batch.startsSegment.index());
    }
    ByteBuffer buffer = batch.buffer;
    buffer.clear().limit(batch.fill);
    active.write(batch.fileOffset, buffer);
    return flushed;
  }

  /** Makes everything written to the active segment durable. */
  void flush() throws IOException {
    active.flush();
  }

  /**
   * Flushes the active segment, then makes a new one from the spare and makes it active.
   *
   * @param header the new segment's header
   * @param index the new segment's index, published with it
   */
  void startSegment(SegmentHeader header, SegmentIndex index) throws IOException {
    if (active != null) {
      active.flush();
    }
    String name = SegmentNames.segmentName(header.firstLsn());
    VfsFile spare = spares.take();
    try {
      spare.write(0, header.encode());
    } catch (IOException | RuntimeException e) {
      spare.close();
      throw e;
    }
    spares.install(spare, name);
    replaceActive(vfs.open(name, Vfs.OpenMode.EXISTING));
    segments.add(index);
  }

  /** Closes the active handle and makes {@code next} (possibly null) the active one. */
  void replaceActive(VfsFile next) throws IOException {
    VfsFile old = active;
    active = next;
    if (old != null) {
      old.close();
    }
  }

  /** {@return the active segment's handle, or null} */
  VfsFile active() {
    return active;
  }

  @Override
  public void close() throws IOException {
    replaceActive(null);
  }
}
