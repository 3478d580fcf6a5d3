package dev.wal.bench;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The disk's limit for one writer: each record is written and forced on its own, one at a time.
 * Appending threads take turns, so the figure does not grow with the thread count; it is the
 * baseline a log without group commit would reach.
 *
 * <p>Two variants: on a growing file, each force also commits the new file size (a journal
 * commit on ext4); on a preallocated file, written with zeros and forced beforehand, a force
 * commits data only. The preallocated file is used as a ring: a record that would pass its end is
 * written at its start. It does not run the steady workload: one writer's limit does not change
 * when a log is truncated, and its cells would only lengthen the run.
 */
final class ForceEachContender implements Contender {
  private final boolean preallocated;
  private final long preallocatedBytes;

  private ForceEachContender(boolean preallocated, long preallocatedBytes) {
    this.preallocated = preallocated;
    this.preallocatedBytes = preallocatedBytes;
  }

  /** {@return the variant that appends to a growing file} */
  static ForceEachContender growing() {
    return new ForceEachContender(false, 0);
  }

  /**
   * Returns the variant that overwrites a preallocated file.
   *
   * @param bytes the file's size
   * @return the contender
   */
  static ForceEachContender preallocated(long bytes) {
    return new ForceEachContender(true, bytes);
  }

  @Override
  public String name() {
    return preallocated ? "disk-prealloc-force-each" : "disk-force-each";
  }

  @Override
  public String description() {
    return preallocated
        ? "write + force(false) per record, one at a time, into a preallocated file"
        : "write + force(false) per record, one at a time, appending to a growing file";
  }

  @Override
  public boolean runs(Workload workload) {
    return workload == Workload.DURABLE;
  }

  @Override
  public Store create(Workload workload, Path dir, int threads, int recordBytes)
      throws IOException {
    Preconditions.checkArgument(runs(workload), "%s does not run %s", name(), workload);
    long frameBytes = (long) DiskFiles.FRAME_HEADER_BYTES + recordBytes;
    Preconditions.checkArgument(
        !preallocated || frameBytes <= preallocatedBytes,
        "preallocated file (%s bytes) is smaller than one record (%s bytes)",
        preallocatedBytes,
        frameBytes);
    FileChannel channel = DiskFiles.createNew(dir.resolve("force-each.dat"));
    boolean success = false;
    try {
      if (preallocated) {
        DiskFiles.preallocate(channel, preallocatedBytes);
      }
      Store store = new ForceEachStore(channel, recordBytes, preallocated ? preallocatedBytes : 0);
      success = true;
      return store;
    } finally {
      if (!success) {
        channel.close();
      }
    }
  }

  /** Thread-safe: appends take turns on the instance's monitor. */
  private static final class ForceEachStore implements Store {
    private final FileChannel channel;
    private final long ringBytes;
    // Guarded by this.
    private final ByteBuffer frame;
    // Guarded by this.
    private long position;

    ForceEachStore(FileChannel channel, int recordBytes, long ringBytes) {
      this.channel = channel;
      this.ringBytes = ringBytes;
      this.frame = DiskFiles.frameBuffer(DiskFiles.FRAME_HEADER_BYTES + recordBytes);
    }

    @Override
    public synchronized void append(ByteBuffer record) throws IOException {
      frame.clear();
      DiskFiles.putFrame(frame, record);
      frame.flip();
      if (ringBytes > 0 && position + frame.remaining() > ringBytes) {
        position = 0;
      }
      long offset = position;
      position += frame.remaining();
      DiskFiles.writeFully(channel, offset, frame);
      channel.force(false);
    }

    @Override
    public void appendNoWait(ByteBuffer record) {
      throw new UnsupportedOperationException("force-each runs the durable workload only");
    }

    @Override
    public void flush() throws IOException {
      channel.force(false);
    }

    @Override
    public Scan reopen() {
      throw new UnsupportedOperationException("force-each runs the durable workload only");
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
