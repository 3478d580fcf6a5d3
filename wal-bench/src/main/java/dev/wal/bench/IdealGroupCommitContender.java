package dev.wal.bench;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The disk's limit with group commit: what any log could at best reach on this disk.
 *
 * <p>Durable workload: one writer thread takes every record queued since its last turn, writes
 * them in one call into a preallocated file and forces once, while appenders fill a second buffer
 * ({@link GroupCommitStore}). The steady workload is the same: the file is already a ring, each
 * byte written once, which is what truncating a log behind its appenders aims at. Buffered and recovery workloads: records are copied into a 1 MiB
 * buffer that is written when full, and forced once at the end; the scan reads the file in 1 MiB
 * chunks and walks the frames ({@link SequentialFileStore}). There is no checksum, no header and
 * no segment: this is the ceiling, not a log.
 */
final class IdealGroupCommitContender implements Contender {
  /** The contender's name; results are compared with it. */
  static final String NAME = "disk-ideal-group-commit";

  private final long preallocatedBytes;

  /**
   * Creates the contender.
   *
   * @param preallocatedBytes the size of the preallocated file of the durable workload
   */
  IdealGroupCommitContender(long preallocatedBytes) {
    this.preallocatedBytes = preallocatedBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "one writer thread writes all queued records in one call and forces once"
        + " (preallocated file); buffered and recovery: 1 MiB writes, one force";
  }

  @Override
  public boolean runs(Workload workload) {
    return true;
  }

  @Override
  public Store create(Workload workload, Path dir, int threads, int recordBytes)
      throws IOException {
    if (!workload.durableAppends()) {
      return SequentialFileStore.create(dir.resolve("ideal.dat"), recordBytes);
    }
    long batchBytes = (long) threads * (DiskFiles.FRAME_HEADER_BYTES + recordBytes);
    Preconditions.checkArgument(
        batchBytes <= preallocatedBytes,
        "preallocated file (%s bytes) is smaller than one batch of %s threads (%s bytes)",
        preallocatedBytes,
        threads,
        batchBytes);
    FileChannel channel = DiskFiles.createNew(dir.resolve("ideal-group-commit.dat"));
    boolean success = false;
    try {
      DiskFiles.preallocate(channel, preallocatedBytes);
      Store store = GroupCommitStore.start(channel, (int) batchBytes, preallocatedBytes);
      success = true;
      return store;
    } finally {
      if (!success) {
        channel.close();
      }
    }
  }
}
