package dev.wal.jraft;

import static dev.wal.jraft.TestEntries.configuration;
import static dev.wal.jraft.TestEntries.data;
import static dev.wal.jraft.TestEntries.peers;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.vfs.testkit.TestSeed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized sequences of the calls a {@code LogManager} makes, checked after every call against
 * a model of the log, and point reads racing appends. Seeded: a failure prints its seed and the
 * line that replays it.
 */
abstract class LogStorageModelTest {
  private static final int OPERATIONS = 300;
  private static final int CONCURRENT_ENTRIES = 3_000;
  /** A guard against a hang, not a timing assertion: the work takes well under a second. */
  private static final long HANG_GUARD_SECONDS = 120;

  @TempDir Path dir;

  private LogStorage storage;

  /**
   * Returns a new, not yet initialised storage kept under {@code dir}. Two storages made for the
   * same directory see the same log, one after the other.
   *
   * @param dir the directory of this test's storage
   * @return the storage
   */
  protected abstract LogStorage newStorage(Path dir);

  @AfterEach
  void shutdown() {
    if (storage != null) {
      storage.shutdown();
      storage = null;
    }
  }

  private void reopen() {
    shutdown();
    LogStorage opened = newStorage(dir);
    LogStorageOptions options = new LogStorageOptions();
    options.setGroupId("model");
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
    assertThat(opened.init(options)).as("init").isTrue();
    storage = opened;
  }

  @Test
  void randomSequencesOfLogManagerCallsMatchAModelOfTheLog() {
    long seed = TestSeed.seed();
    try {
      runRandomSequence(new SplittableRandom(seed));
    } catch (Throwable failure) {
      throw TestSeed.withSeed(failure, getClass(), seed);
    }
  }

  private void runRandomSequence(SplittableRandom random) {
    reopen();
    Model model = new Model();
    for (int step = 0; step < OPERATIONS; step++) {
      int choice = random.nextInt(100);
      String operation;
      if (choice < 55 || model.entries.isEmpty()) {
        operation = appendBatch(random, model);
      } else if (choice < 70) {
        long firstIndexKept = random.nextLong(model.first(), model.last() + 1);
        operation = "truncatePrefix(" + firstIndexKept + ")";
        assertThat(storage.truncatePrefix(firstIndexKept)).as(operation).isTrue();
        model.entries.headMap(firstIndexKept, false).clear();
        model.firstIndex = firstIndexKept;
      } else if (choice < 85) {
        long lastIndexKept = random.nextLong(model.first(), model.last() + 1);
        operation = "truncateSuffix(" + lastIndexKept + ")";
        assertThat(storage.truncateSuffix(lastIndexKept)).as(operation).isTrue();
        model.entries.tailMap(lastIndexKept, false).clear();
      } else if (choice < 93) {
        operation = reset(random, model);
      } else {
        operation = "reopen";
        reopen();
      }
      model.check(storage, "after step " + step + ": " + operation);
    }
  }

  private String appendBatch(SplittableRandom random, Model model) {
    if (random.nextInt(4) == 0) {
      model.term++;
    }
    long next = model.entries.isEmpty() ? model.firstIndex : model.last() + 1;
    if (!model.entries.isEmpty() && random.nextInt(8) == 0) {
      next = model.last(); // replace the last entry, as the log manager does after reset(n)
    }
    List<LogEntry> batch = new ArrayList<>();
    int size = 1 + random.nextInt(16);
    for (long index = next; index < next + size; index++) {
      LogEntry entry = random.nextInt(10) == 0
          ? configuration(index, model.term, peers("127.0.0.1:8081", "127.0.0.1:8082"), List.of())
          : data(index, model.term, randomPayload(random));
      batch.add(entry);
      model.entries.put(index, entry);
    }
    String operation = "appendEntries(" + next + ".." + (next + size - 1) + ")";
    assertThat(storage.appendEntries(batch)).as(operation).isEqualTo(size);
    return operation;
  }

  private String reset(SplittableRandom random, Model model) {
    long nextIndex = random.nextBoolean()
        ? random.nextLong(model.first(), model.last() + 1)
        : model.last() + 1 + random.nextInt(50);
    LogEntry kept = model.entries.get(nextIndex);
    if (kept == null) {
      kept = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
      kept.setId(new LogId(nextIndex, 0));
    }
    String operation = "reset(" + nextIndex + ")";
    assertThat(storage.reset(nextIndex)).as(operation).isTrue();
    model.entries.clear();
    model.entries.put(nextIndex, kept);
    model.firstIndex = nextIndex;
    return operation;
  }

  private static byte[] randomPayload(SplittableRandom random) {
    byte[] payload = new byte[random.nextInt(300)];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) random.nextInt(256);
    }
    return payload;
  }

  /** What the log holds: its entries by index and its first index, which an empty log keeps. */
  private static final class Model {
    final NavigableMap<Long, LogEntry> entries = new TreeMap<>();
    long firstIndex = 1;
    long term = 1;

    long first() {
      return entries.isEmpty() ? firstIndex : entries.firstKey();
    }

    long last() {
      return entries.isEmpty() ? firstIndex - 1 : entries.lastKey();
    }

    void check(LogStorage storage, String when) {
      assertThat(storage.getFirstLogIndex()).as("first index " + when).isEqualTo(first());
      assertThat(storage.getLastLogIndex()).as("last index " + when).isEqualTo(last());
      for (long index = Math.max(0, first() - 2); index <= last() + 2; index++) {
        assertThat(storage.getEntry(index)).as("entry %s %s", index, when).isEqualTo(entries.get(index));
      }
    }
  }

  @Test
  void pointReadsWhileAppendsGoOnSeeEveryAppendedEntryIntact() throws Exception {
    long seed = TestSeed.seed();
    reopen();
    AtomicLong appended = new AtomicLong();
    CountDownLatch firstBatch = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer = threads.submit(() -> appendConcurrently(new SplittableRandom(seed), appended, firstBatch));
      Future<Integer> reader = threads.submit(() -> readConcurrently(new SplittableRandom(~seed), appended, firstBatch));
      writer.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
      assertThat(reader.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("reads made").isPositive();
    } catch (Throwable failure) {
      throw TestSeed.withSeed(failure, getClass(), seed);
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(storage.getLastLogIndex()).isEqualTo(CONCURRENT_ENTRIES);
  }

  private Void appendConcurrently(SplittableRandom random, AtomicLong appended, CountDownLatch firstBatch) {
    long next = 1;
    while (next <= CONCURRENT_ENTRIES) {
      long to = Math.min(CONCURRENT_ENTRIES, next + random.nextInt(32));
      List<LogEntry> batch = new ArrayList<>();
      for (long index = next; index <= to; index++) {
        batch.add(data(index, termOf(index)));
      }
      assertThat(storage.appendEntries(batch)).isEqualTo(batch.size());
      appended.set(to);
      firstBatch.countDown();
      next = to + 1;
    }
    return null;
  }

  private static long termOf(long index) {
    return 1 + index / 500;
  }

  private int readConcurrently(SplittableRandom random, AtomicLong appended, CountDownLatch firstBatch)
      throws InterruptedException {
    firstBatch.await();
    int reads = 0;
    // Bounded in count; it stops early once the writer is done.
    for (int round = 0; round < 10_000_000; round++) {
      long durable = appended.get();
      long index = 1 + random.nextLong(durable);
      assertThat(storage.getEntry(index)).as("entry %s", index).isEqualTo(data(index, termOf(index)));
      assertThat(storage.getLastLogIndex()).isGreaterThanOrEqualTo(durable);
      reads++;
      if (durable == CONCURRENT_ENTRIES) {
        break;
      }
    }
    return reads;
  }
}
