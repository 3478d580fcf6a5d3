package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.entity.Task;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A three-member loopback cluster on one storage: commits per second and commit latency with a
 * given number of tasks in flight, and the time a member holding a large log takes to restart and
 * catch up.
 */
final class ClusterBenchmark {
  private static final int ELECTION_TIMEOUT_MS = 1_000;
  /** The most commits one measurement records, a guard on its memory. */
  private static final int MAX_COMMITS = 20_000_000;
  /** The longest a restarted member may take to catch up before the run fails. */
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(10);

  private ClusterBenchmark() {}

  /** What one throughput run measured. */
  record Throughput(double commitsPerSecond, double p999Millis) {}

  /** Keeps {@code inFlight} tasks of {@code entryBytes} in flight for {@code duration} after a warm-up. */
  static Throughput throughput(StorageSetup setup, Path dir, int inFlight, Duration duration) throws Exception {
    try (RaftCluster cluster = RaftCluster.start(dir, 3, setup, ELECTION_TIMEOUT_MS)) {
      AtomicLong nextValue = new AtomicLong(1);
      drive(cluster, inFlight, duration.dividedBy(10), LogAloneBenchmark.ENTRY_BYTES, nextValue, null);
      long[] latenciesNs = new long[MAX_COMMITS];
      AtomicInteger commits = new AtomicInteger();
      long elapsedNs = drive(cluster, inFlight, duration, LogAloneBenchmark.ENTRY_BYTES, nextValue, new Recorder(latenciesNs, commits));
      int count = Math.min(commits.get(), latenciesNs.length);
      long[] sorted = Arrays.copyOf(latenciesNs, count);
      Arrays.sort(sorted);
      double p999 = count == 0 ? Double.NaN : sorted[(int) Math.min(count - 1, Math.ceil(count * 0.999) - 1)] / 1e6;
      return new Throughput(count * 1e9 / elapsedNs, p999);
    }
  }

  private record Recorder(long[] latenciesNs, AtomicInteger commits) {
    void record(long latencyNs) {
      int at = commits.getAndIncrement();
      if (at < latenciesNs.length) {
        latenciesNs[at] = latencyNs;
      }
    }
  }

  /** Submits tasks to the leader, {@code inFlight} at a time, until {@code duration} passed; returns the time taken. */
  private static long drive(RaftCluster cluster, int inFlight, Duration duration, int entryBytes, AtomicLong nextValue, Recorder recorder)
      throws InterruptedException {
    ClusterMember leader = cluster.awaitLeader();
    Semaphore window = new Semaphore(inFlight);
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    for (int task = 0; task < MAX_COMMITS && System.nanoTime() < deadline; task++) {
      if (!window.tryAcquire(RaftCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("no commit within " + RaftCluster.WAIT);
      }
      ByteBuffer payload = ByteBuffer.allocate(entryBytes).putLong(0, nextValue.getAndIncrement());
      long submitted = System.nanoTime();
      leader.node().apply(new Task(payload, status -> {
        if (status.isOk() && recorder != null) {
          recorder.record(System.nanoTime() - submitted);
        } else if (!status.isOk()) {
          failures.incrementAndGet();
        }
        window.release();
      }));
    }
    if (!window.tryAcquire(inFlight, RaftCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("tasks still in flight after " + RaftCluster.WAIT);
    }
    long elapsedNs = System.nanoTime() - start;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " tasks failed (a leader change during the run?)");
    }
    return elapsedNs;
  }

  /**
   * Fills the log with {@code logBytes} of 16 KiB entries, then stops a follower and measures the
   * time from its restart until it has applied everything the leader had.
   *
   * @return the seconds it took
   */
  static double restartSeconds(StorageSetup setup, Path dir, long logBytes) throws Exception {
    int entryBytes = 16 << 10;
    try (RaftCluster cluster = RaftCluster.start(dir, 3, setup, ELECTION_TIMEOUT_MS)) {
      AtomicLong nextValue = new AtomicLong(1);
      long entries = logBytes / entryBytes;
      // Bounded by count: the run ends once the log holds the entries, or fails on a stall.
      while (nextValue.get() <= entries) {
        drive(cluster, 16, Duration.ofSeconds(1), entryBytes, nextValue, null);
      }
      ClusterMember leader = cluster.awaitLeader();
      ClusterMember follower = cluster.running().stream().filter(m -> m != leader).findFirst().orElseThrow();
      long target = leader.stateMachine().appliedIndex();
      cluster.kill(follower);
      follower.awaitStopped();
      long start = System.nanoTime();
      cluster.restart(follower);
      if (!cluster.awaitApplied(follower, target, CATCH_UP_LIMIT)) {
        throw new IllegalStateException(follower + " did not catch up within " + CATCH_UP_LIMIT);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
