package dev.wal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * The recovery workload: records totalling at least the given size are appended without waiting
 * and flushed (not measured); then the store is reopened and every record read back. The measured
 * time runs from the start of the reopen to the last record, so it includes whatever the
 * contender does to recover. The files are still in the page cache: this measures the reading
 * code, not the disk.
 *
 * <p>Latency is of one {@code next()} in {@value BufferedRun#SAMPLE_EVERY}, timed on its own; the
 * note gives the time to reopen. A scan that reads back a different number of records than was
 * written fails the run.
 */
final class RecoveryRun {
  private RecoveryRun() {}

  /**
   * Runs the workload on a store.
   *
   * @param contender the contender's name, for the result
   * @param store an empty store
   * @param totalBytes the least number of payload bytes to write and read back
   * @param recordBytes the payload size
   * @param progress told when writing ends and reading starts
   * @return the figures
   * @throws IOException if writing, reopening or reading failed
   * @throws IllegalStateException if the scan read back another count of records or bytes
   */
  static Result run(
      String contender, Store store, long totalBytes, int recordBytes, Progress progress)
      throws IOException {
    long records = (totalBytes + recordBytes - 1) / recordBytes;
    ByteBuffer payload = Payloads.random(recordBytes, 2);
    for (long i = 0; i < records; i++) {
      payload.rewind();
      store.appendNoWait(payload);
    }
    store.flush();
    progress.phase("reopening and reading");

    Histogram latencies = new Histogram(3);
    long start = System.nanoTime();
    long read = 0;
    long bytesRead = 0;
    long opened;
    try (Store.Scan scan = store.reopen()) {
      opened = System.nanoTime();
      for (int size = 0; size >= 0; ) {
        if (read % BufferedRun.SAMPLE_EVERY == 0) {
          long begin = System.nanoTime();
          size = scan.next();
          latencies.recordValue(System.nanoTime() - begin);
        } else {
          size = scan.next();
        }
        if (size >= 0) {
          read++;
          bytesRead += size;
        }
      }
    }
    long end = System.nanoTime();
    if (read != records || bytesRead != records * recordBytes) {
      throw new IllegalStateException(
          String.format(
              "%s read back %d records (%d bytes) but %d records (%d bytes) were written",
              contender, read, bytesRead, records, records * recordBytes));
    }
    String note = String.format("reopen %.1f ms; %d MiB", (opened - start) / 1e6, (records * recordBytes) >> 20);
    return Result.of(
        Workload.RECOVERY, contender, 1, recordBytes, records, end - start, latencies, note);
  }
}
