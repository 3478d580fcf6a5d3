package dev.wal.bench;

import com.google.common.base.Preconditions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one benchmark run measures and where.
 *
 * @param dataDir the directory on the disk under test; empty for a new temporary directory,
 *     deleted afterwards
 * @param outDir where the CSV, JSON and PNG go
 * @param workloads the workloads to run, in order
 * @param contenders the contenders' names, in order; each must be known
 * @param threadCounts the durable workload's thread counts
 * @param recordSizes the durable workload's payload sizes in bytes
 * @param steadyThreadCounts the steady workload's thread counts
 * @param steadyRecordSizes the steady workload's payload sizes in bytes
 * @param timing the durable and steady workloads' warm-up and measured time per cell
 * @param bufferedRecords the buffered workload's record count
 * @param bufferedRecordBytes the buffered workload's payload size
 * @param recoveryBytes the least size of the log the recovery workload reads back
 * @param recoveryRecordBytes the recovery workload's payload size
 * @param preallocatedBytes the size of the disk contenders' preallocated files
 * @param rounds how many times the whole run is repeated; the report gives each cell's median
 */
record BenchConfig(
    Optional<Path> dataDir,
    Path outDir,
    List<Workload> workloads,
    List<String> contenders,
    List<Integer> threadCounts,
    List<Integer> recordSizes,
    List<Integer> steadyThreadCounts,
    List<Integer> steadyRecordSizes,
    Timing timing,
    long bufferedRecords,
    int bufferedRecordBytes,
    long recoveryBytes,
    int recoveryRecordBytes,
    long preallocatedBytes,
    int rounds) {

  /** The largest payload a run accepts: well under the log's default maximum record size. */
  static final int MAX_RECORD_BYTES = 1 << 20;

  /**
   * Checks the values and copies the lists.
   *
   * @throws IllegalArgumentException naming the first bad value
   */
  BenchConfig {
    workloads = List.copyOf(workloads);
    contenders = List.copyOf(contenders);
    threadCounts = List.copyOf(threadCounts);
    recordSizes = List.copyOf(recordSizes);
    steadyThreadCounts = List.copyOf(steadyThreadCounts);
    steadyRecordSizes = List.copyOf(steadyRecordSizes);
    Preconditions.checkArgument(!workloads.isEmpty(), "no workload chosen");
    Preconditions.checkArgument(!contenders.isEmpty(), "no contender chosen");
    Preconditions.checkArgument(!threadCounts.isEmpty(), "no thread count chosen");
    Preconditions.checkArgument(!recordSizes.isEmpty(), "no record size chosen");
    Preconditions.checkArgument(!steadyThreadCounts.isEmpty(), "no steady thread count chosen");
    Preconditions.checkArgument(!steadyRecordSizes.isEmpty(), "no steady record size chosen");
    checkThreads("thread count", threadCounts);
    checkThreads("steady thread count", steadyThreadCounts);
    for (int bytes : recordSizes) {
      checkRecordBytes("record size", bytes);
    }
    for (int bytes : steadyRecordSizes) {
      checkRecordBytes("steady record size", bytes);
    }
    checkRecordBytes("buffered record size", bufferedRecordBytes);
    checkRecordBytes("recovery record size", recoveryRecordBytes);
    Preconditions.checkArgument(bufferedRecords >= 1, "buffered record count (%s) must be positive", bufferedRecords);
    Preconditions.checkArgument(recoveryBytes >= 1, "recovery size (%s) must be positive", recoveryBytes);
    Preconditions.checkArgument(rounds >= 1 && rounds <= 99, "rounds (%s) must be 1 to 99", rounds);
    long largestBatch =
        (long) Math.max(max(threadCounts), max(steadyThreadCounts))
            * (DiskFiles.FRAME_HEADER_BYTES + Math.max(max(recordSizes), max(steadyRecordSizes)));
    Preconditions.checkArgument(
        preallocatedBytes >= largestBatch,
        "preallocated file size (%s) must hold the largest batch, %s bytes",
        preallocatedBytes,
        largestBatch);
  }

  private static void checkThreads(String what, List<Integer> threadCounts) {
    for (int threads : threadCounts) {
      Preconditions.checkArgument(threads >= 1 && threads <= 1024, "%s (%s) must be 1 to 1024", what, threads);
    }
  }

  private static int max(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).max().getAsInt();
  }

  private static void checkRecordBytes(String what, int bytes) {
    Preconditions.checkArgument(
        bytes >= 1 && bytes <= MAX_RECORD_BYTES, "%s (%s) must be 1 to %s bytes", what, bytes, MAX_RECORD_BYTES);
  }
}
