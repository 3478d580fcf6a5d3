package dev.wal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * The buffered workload: one thread appends records without waiting, then flushes once; the
 * measured time runs from the first append to the end of the flush.
 *
 * <p>Latency is sampled: one append in {@value #SAMPLE_EVERY} is timed on its own, since reading
 * the clock around every append would cost a large share of an append that takes a few hundred
 * nanoseconds. A warm-up of a tenth of the records (at most {@value #MAX_WARMUP_RECORDS}), flushed,
 * comes first in the same store.
 */
final class BufferedRun {
  /** One append in this many is timed. */
  static final int SAMPLE_EVERY = 64;

  private static final long MAX_WARMUP_RECORDS = 200_000;

  private BufferedRun() {}

  /**
   * Runs the workload on a store.
   *
   * @param contender the contender's name, for the result
   * @param store an empty store
   * @param records how many records to append in the measured run
   * @param recordBytes the payload size
   * @return the figures; the note gives the final flush's time
   * @throws IOException if an append or the flush failed
   */
  static Result run(String contender, Store store, long records, int recordBytes)
      throws IOException {
    ByteBuffer payload = Payloads.random(recordBytes, 1);
    long warmup = Math.min(MAX_WARMUP_RECORDS, records / 10);
    for (long i = 0; i < warmup; i++) {
      payload.rewind();
      store.appendNoWait(payload);
    }
    store.flush();

    Histogram latencies = new Histogram(3);
    long start = System.nanoTime();
    for (long i = 0; i < records; i++) {
      payload.rewind();
      if (i % SAMPLE_EVERY == 0) {
        long begin = System.nanoTime();
        store.appendNoWait(payload);
        latencies.recordValue(System.nanoTime() - begin);
      } else {
        store.appendNoWait(payload);
      }
    }
    long flushStart = System.nanoTime();
    store.flush();
    long end = System.nanoTime();
    String note = String.format("final flush %.1f ms; latency of 1 in %d appends", (end - flushStart) / 1e6, SAMPLE_EVERY);
    return Result.of(
        Workload.BUFFERED, contender, 1, recordBytes, records, end - start, latencies, note);
  }
}
