package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded randomized-schedule test of append, appendNoWait, waitFor and flush under contention.
 *
 * <p>Each round draws, from the seed, a configuration (segment and buffer sizes), a number of
 * threads and for each thread a script of operations with payload sizes (from empty to larger
 * than a buffer) and scheduling perturbations: yields, spins, and barriers at which all threads
 * meet so that many of them contend at the same moment. Every result is checked as it comes
 * (an acknowledged LSN is durable; waitFor and flush cover what they must; the flushed LSN never
 * goes back) and at the end against a reopened log (LSNs dense, every record once, in each thread's
 * order, with its payload and tag).
 *
 * <p>The scripts and perturbations replay from the seed; the JVM's thread scheduling does not, so
 * a failing seed reproduces the workload, not necessarily the interleaving. Fray and Lincheck
 * would control the interleaving too; see the engine's report for why this is the test here.
 */
class GroupCommitScheduleTest {
  private static final int ROUNDS = 40;
  private static final int SLOW_FLUSH_ROUNDS = 12;

  @Test
  void concurrentAppendsWaitsAndFlushesKeepEveryPromise() throws Exception {
    runRounds(ROUNDS, false);
  }

  /**
   * As above, with flushes as slow as a disk's (100-400 µs): the background flusher then leads
   * them and waits for appenders before it writes (see {@link IoRoles}).
   */
  @Test
  void withSlowFlushesTheFlusherLedGroupsKeepEveryPromise() throws Exception {
    runRounds(SLOW_FLUSH_ROUNDS, true);
  }

  private void runRounds(int rounds, boolean slowFlushes) throws Exception {
    long seed = TestSeed.seed();
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int round = 0; round < rounds; round++) {
        runRound(random.split(), slowFlushes);
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, GroupCommitScheduleTest.class, seed);
    }
  }

  private record Op(int kind, int size, int perturbation) {}

  private static final int APPEND = 0;
  private static final int APPEND_NO_WAIT = 1;
  private static final int WAIT_FOR_LAST = 2;
  private static final int FLUSH = 3;

  private void runRound(SplittableRandom random, boolean slowFlushes) throws Exception {
    int buffer = 4096 << random.nextInt(2);
    long segment = (32L << 10) << random.nextInt(3);
    WalConfig config =
        WalConfig.builder()
            .segmentBytes(segment)
            .bufferBytes(buffer)
            .maxRecordBytes(2 * buffer)
            .build();
    int threads = 2 + random.nextInt(5);
    int opsPerThread = 150;
    List<List<Op>> scripts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Op> script = new ArrayList<>();
      for (int i = 0; i < opsPerThread; i++) {
        int size = random.nextInt(10) == 0 ? random.nextInt(2 * buffer + 1) : random.nextInt(200);
        script.add(new Op(random.nextInt(4), size, random.nextInt(8)));
      }
      scripts.add(script);
    }
    long flushNanos = TimeUnit.MICROSECONDS.toNanos(100 + random.nextInt(300));
    try (Vfs vfs = TestStorage.memory().open()) {
      Vfs logVfs = slowFlushes ? new SlowFlushVfs(vfs, flushNanos) : vfs;
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<List<Long>> lsnsByThread = new ArrayList<>();
      try (WriteAheadLog log = WriteAheadLog.open(logVfs, config)) {
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<Long> lsns = new ArrayList<>();
          lsnsByThread.add(lsns);
          int thread = t;
          workers.add(
              new Thread(
                  () -> {
                    try {
                      runScript(log, thread, scripts.get(thread), lsns, barrier);
                    } catch (Throwable e) {
                      failures.add(e);
                      barrier.reset();
                    }
                  }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
          worker.join(TimeUnit.SECONDS.toMillis(120));
          assertThat(worker.isAlive()).as("a worker hangs").isFalse();
        }
        assertThat(failures).isEmpty();
      }
      checkReopened(vfs, config, scripts, lsnsByThread);
    }
  }

  private static void runScript(
      WriteAheadLog log, int thread, List<Op> script, List<Long> lsns, CyclicBarrier barrier)
      throws Exception {
    long lastFlushedSeen = 0;
    for (int seq = 0; seq < script.size(); seq++) {
      Op op = script.get(seq);
      if (seq % 25 == 0) {
        barrier.await(60, TimeUnit.SECONDS); // every thread contends at the same moment
      }
      switch (op.perturbation()) {
        case 0 -> Thread.yield();
        case 1, 2 -> {
          for (int spin = 0; spin < 100 << op.perturbation(); spin++) {
            Thread.onSpinWait();
          }
        }
        default -> {}
      }
      byte[] payload = payload(thread, seq, op.size());
      long tag = ((long) thread << 32) | seq;
      switch (op.kind()) {
        case APPEND -> {
          long lsn = log.append(ByteBuffer.wrap(payload), tag);
          lsns.add(lsn);
          assertThat(log.flushedLsn()).as("an acknowledged append is durable").isGreaterThanOrEqualTo(lsn);
        }
        case APPEND_NO_WAIT -> lsns.add(log.appendNoWait(payload, tag));
        case WAIT_FOR_LAST -> {
          lsns.add(log.appendNoWait(payload, tag));
          long last = lsns.get(lsns.size() - 1);
          log.waitFor(last);
          assertThat(log.flushedLsn()).isGreaterThanOrEqualTo(last);
        }
        default -> {
          lsns.add(log.appendNoWait(payload, tag));
          long flushed = log.flush();
          assertThat(flushed).isGreaterThanOrEqualTo(lsns.get(lsns.size() - 1));
        }
      }
      long flushed = log.flushedLsn();
      assertThat(flushed).as("the flushed LSN never goes back").isGreaterThanOrEqualTo(lastFlushedSeen);
      lastFlushedSeen = flushed;
    }
  }

  private static byte[] payload(int thread, int seq, int size) {
    return Payloads.bytes(((long) thread << 32) | seq, size);
  }

  private static void checkReopened(
      Vfs vfs, WalConfig config, List<List<Op>> scripts, List<List<Long>> lsnsByThread)
      throws IOException {
    int total = scripts.stream().mapToInt(List::size).sum();
    try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      assertThat(records).hasSize(total);
      int[] nextSeq = new int[scripts.size()];
      for (int i = 0; i < records.size(); i++) {
        Payloads.Read record = records.get(i);
        assertThat(record.lsn()).isEqualTo(i + 1);
        int thread = (int) (record.tag() >>> 32);
        int seq = (int) record.tag();
        assertThat(seq).as("thread %d's records in its order", thread).isEqualTo(nextSeq[thread]++);
        assertThat(lsnsByThread.get(thread).get(seq)).isEqualTo(record.lsn());
        assertThat(record.payload())
            .isEqualTo(payload(thread, seq, scripts.get(thread).get(seq).size()));
      }
    }
  }
}
