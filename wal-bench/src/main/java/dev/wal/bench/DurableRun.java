package dev.wal.bench;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The durable and steady workloads: {@code threads} threads append records, each waiting until its
 * record is durable, for a warm-up time and then a measured time. Every append in the measured
 * time is counted and its latency recorded. What makes a run steady (a log truncated behind the
 * appenders) is the store's; the run is the same.
 *
 * <p>An append is counted in the phase in which it started, so one that starts just before the
 * end of the measured time counts and one that started in the warm-up does not; with thousands of
 * appends per phase the difference is noise.
 */
final class DurableRun {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int STOP = 2;
  private static final long JOIN_TIMEOUT_SECONDS = 60;

  private final Workload workload;
  private final Store store;
  private final int threads;
  private final int recordBytes;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile int phase = WARMUP;

  private DurableRun(Workload workload, Store store, int threads, int recordBytes) {
    this.workload = workload;
    this.store = store;
    this.threads = threads;
    this.recordBytes = recordBytes;
  }

  /**
   * Runs the workload on a store.
   *
   * @param workload durable or steady, for the result
   * @param contender the contender's name, for the result
   * @param store an empty store
   * @param threads the number of appending threads
   * @param recordBytes the payload size
   * @param timing the warm-up and measured times
   * @return the figures, with the store's {@linkplain Store#note() note}
   * @throws IOException if an append failed, or an appender did not stop
   * @throws IllegalArgumentException if the workload does not wait for durability
   */
  static Result run(
      Workload workload, String contender, Store store, int threads, int recordBytes, Timing timing)
      throws IOException {
    Preconditions.checkArgument(workload.durableAppends(), "%s is not a durable workload", workload);
    return new DurableRun(workload, store, threads, recordBytes).run(contender, timing);
  }

  private Result run(String contender, Timing timing) throws IOException {
    CountDownLatch start = new CountDownLatch(1);
    List<Appender> appenders = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Appender appender = new Appender(start, i);
      Thread thread = new Thread(appender, "bench-appender-" + i);
      thread.setDaemon(true);
      appenders.add(appender);
      running.add(thread);
      thread.start();
    }
    start.countDown();
    long measuredNanos;
    try {
      sleepUnlessFailed(timing.warmupNanos());
      phase = MEASURE;
      long measureStart = System.nanoTime();
      sleepUnlessFailed(timing.measureNanos());
      phase = STOP;
      measuredNanos = System.nanoTime() - measureStart;
      joinAll(running);
    } catch (InterruptedException e) {
      phase = STOP;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running the " + workload.label() + " workload");
    }
    rethrowFailure(contender);
    Histogram latencies = new Histogram(3);
    long records = 0;
    for (Appender appender : appenders) {
      latencies.add(appender.latencies);
      records += appender.records;
    }
    return Result.of(
        workload, contender, threads, recordBytes, records, measuredNanos, latencies, store.note());
  }

  private void sleepUnlessFailed(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && phase != STOP; left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
    }
  }

  private void joinAll(List<Thread> running) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_TIMEOUT_SECONDS);
    for (Thread thread : running) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (thread.isAlive()) {
        throw new IOException(
            thread.getName() + " did not return from append within " + JOIN_TIMEOUT_SECONDS + " s");
      }
    }
  }

  private void rethrowFailure(String contender) throws IOException {
    Exception e = failure.get();
    if (e instanceof IOException io) {
      throw io;
    }
    if (e != null) {
      throw new IllegalStateException(contender + " failed in the " + workload.label() + " workload", e);
    }
  }

  /** One appending thread; its fields are read by the coordinator after joining it. */
  private final class Appender implements Runnable {
    private final CountDownLatch start;
    private final ByteBuffer payload;
    private final Histogram latencies = new Histogram(3);
    private long records;

    Appender(CountDownLatch start, int index) {
      this.start = start;
      this.payload = Payloads.random(recordBytes, index);
    }

    @Override
    public void run() {
      try {
        start.await();
        for (int current = phase; current != STOP; current = phase) {
          payload.rewind();
          long begin = System.nanoTime();
          store.append(payload);
          long latency = System.nanoTime() - begin;
          if (current == MEASURE) {
            latencies.recordValue(latency);
            records++;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
        phase = STOP;
      }
    }
  }
}
