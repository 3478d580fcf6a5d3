package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogEntry;
import dev.wal.RecordTooLargeException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Batch appends: consecutive LSNs, one durable group, all or nothing across a crash. */
class AtomicBatchTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static List<LogEntry> entries(long seed, int... sizes) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      entries.add(LogEntry.of(Payloads.bytes(seed + i, sizes[i])));
    }
    return entries;
  }

  private static long[] tags(long first, int count) {
    long[] tags = new long[count];
    Arrays.setAll(tags, i -> first + i);
    return tags;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBatchGetsConsecutiveLsnsAndReadsBackWhole(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        log.append(Payloads.text("before"), 0);
        assertThat(log.appendAll(entries(100, 10, 0, 3000, 7), tags(100, 4))).isEqualTo(2);
        assertThat(log.flushedLsn()).isEqualTo(5);
        // larger than a pooled buffer (8 KiB): a batch of its own
        assertThat(log.appendAll(entries(200, 5000, 5000), tags(200, 2))).isEqualTo(6);
        assertThat(log.appendAllNoWait(List.of(), new long[0])).isEqualTo(8);
        LogEntry[] array = entries(300, 1, 2, 3).toArray(new LogEntry[0]);
        long first = log.appendAllNoWait(array, tags(300, 3), 2); // the first two only
        assertThat(first).isEqualTo(8);
        log.waitFor(first + 1);
        assertThat(log.lastLsn()).isEqualTo(9);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        List<Payloads.Read> records = Payloads.readAll(log, 2);
        assertThat(records)
            .extracting(Payloads.Read::lsn)
            .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(records).extracting(Payloads.Read::tag)
            .containsExactly(100L, 101L, 102L, 103L, 200L, 201L, 300L, 301L);
        assertThat(records.get(2).payload()).isEqualTo(Payloads.bytes(102, 3000));
        assertThat(records.get(5).payload()).isEqualTo(Payloads.bytes(201, 5000));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBatchTornAtAnyByteIsCutWholeAndNeverComesBack(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        for (int i = 1; i <= 3; i++) {
          log.append(Payloads.bytes(i, 90), i);
        }
        assertThat(log.appendAll(entries(4, 90, 90, 90, 90), tags(4, 4))).isEqualTo(4);
      }
      String segment = SegmentFiles.lastSegment(vfs);
      byte[] original = SegmentFiles.read(vfs, segment);
      long groupStart = SegmentFiles.recordRange(vfs, segment, 4)[0];
      long[] last = SegmentFiles.recordRange(vfs, segment, 7);
      long batchEnd = Layout.alignUp(last[1] + WalFormat.RECORD_HEADER_BYTES, 512);
      for (long tornAt = groupStart; tornAt <= last[1]; tornAt += 3) {
        byte[] torn = original.clone();
        Arrays.fill(torn, (int) tornAt, (int) batchEnd, (byte) 0);
        SegmentFiles.write(vfs, segment, torn);
        try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
          // torn in the group: none of it; torn only in the trailer: all of it
          long expected = changesBytes(original, tornAt, last[1]) ? 3 : 7;
          assertThat(log.lastLsn()).as("torn at %d", tornAt).isEqualTo(expected);
          if (expected == 3) {
            assertThat(log.append(Payloads.text("after"), 0)).isEqualTo(4);
          }
        }
        try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
          List<Payloads.Read> records = Payloads.readAll(log, 1);
          assertThat(records).hasSize(changesBytes(original, tornAt, last[1]) ? 4 : 7);
        }
        SegmentFiles.write(vfs, segment, original);
      }
    }
  }

  /** {@return whether zeroing {@code [from, to)} changes any byte} */
  private static boolean changesBytes(byte[] bytes, long from, long to) {
    for (long i = from; i < to; i++) {
      if (bytes[(int) i] != 0) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aRefusedBatchLeavesTheLogUnchangedAndUsable(String backend) throws IOException {
    WalConfig config = WriteAheadLogTest.small();
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      log.append(Payloads.text("one"), 1);
      assertThatThrownBy(() -> log.appendAll(entries(0, 1, 2), new long[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tags.length (1)");
      LogEntry[] two = entries(0, 1, 2).toArray(new LogEntry[0]);
      assertThatThrownBy(() -> log.appendAll(two, new long[2], 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("count (3)");
      List<LogEntry> tooLarge = entries(0, 1, config.maxRecordBytes() + 1);
      assertThatThrownBy(() -> log.appendAll(tooLarge, tags(0, 2)))
          .isInstanceOf(RecordTooLargeException.class);
      int[] many = new int[4];
      Arrays.fill(many, config.maxRecordBytes());
      assertThatThrownBy(() -> log.appendAll(entries(0, many), tags(0, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("more than a segment holds");
      for (int bigSize : new int[] {10, 6000}) { // in a pooled buffer, and in one of its own
        List<LogEntry> lying = new ArrayList<>(entries(0, bigSize, 20));
        lying.add(new LyingEntry());
        assertThatThrownBy(() -> log.appendAll(lying, tags(0, 3)))
            .isInstanceOf(IllegalStateException.class);
        assertThat(log.lastLsn()).isEqualTo(1);
      }
      assertThat(log.appendAll(entries(9, 5, 6), tags(9, 2))).isEqualTo(2);
      assertThat(Payloads.readAll(log, 1))
          .extracting(Payloads.Read::tag)
          .containsExactly(1L, 9L, 10L);
    }
  }

  /** An entry whose writeTo writes one byte fewer than its size. */
  private static final class LyingEntry implements LogEntry {
    @Override
    public int size() {
      return 8;
    }

    @Override
    public void writeTo(ByteBuffer buffer) {
      buffer.put(new byte[7]);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void truncateAfterInsideABatchKeepsTheRecordsBeforeTheCutAcrossReopen(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        log.appendAll(entries(1, 50, 60, 70, 80, 90), tags(1, 5));
        log.truncateAfter(3);
        assertThat(log.lastLsn()).isEqualTo(3);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        assertThat(log.lastLsn()).isEqualTo(3);
        assertThat(Payloads.readAll(log, 1)).extracting(Payloads.Read::payload)
            .containsExactly(Payloads.bytes(1, 50), Payloads.bytes(2, 60), Payloads.bytes(3, 70));
        assertThat(log.append(Payloads.text("four"), 4)).isEqualTo(4);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void concurrentBatchesStayWholeAndTheFlushedLsnNeverSplitsOne(String backend) throws Exception {
    long seed = TestSeed.seed();
    int threads = 4;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    ConcurrentLinkedQueue<Long> flushedSamples = new ConcurrentLinkedQueue<>();
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      SplittableRandom root = new SplittableRandom(seed);
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = root.split();
        long thread = t;
        futures.add(
            executor.submit(
                () -> {
                  start.await();
                  for (int group = 0; group < 150; group++) {
                    int count = 1 + random.nextInt(6);
                    int largest = random.nextInt(8) == 0 ? 3000 : 200;
                    int[] sizes = random.ints(count, 0, largest).toArray();
                    long[] tags = new long[count];
                    for (int i = 0; i < count; i++) {
                      tags[i] = thread << 48 | (long) group << 16 | (long) i << 8 | count;
                    }
                    List<LogEntry> batch = entries(tags[0], sizes);
                    if (random.nextBoolean()) {
                      log.appendAll(batch, tags);
                    } else {
                      log.appendAllNoWait(batch, tags);
                    }
                    flushedSamples.add(log.flushedLsn());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      log.flush();
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      try {
        for (int i = 0; i < records.size(); ) {
          long tag = records.get(i).tag();
          int count = (int) (tag & 0xFF);
          for (int k = 0; k < count; k++) {
            assertThat(records.get(i + k).tag()).isEqualTo(tag & ~0xFF00L | (long) k << 8);
          }
          i += count;
        }
        for (long flushed : flushedSamples) {
          if (flushed > 0) {
            long tag = records.get((int) flushed - 1).tag();
            assertThat((tag >> 8 & 0xFF) + 1).as("flushed LSN %d ends its batch", flushed)
                .isEqualTo(tag & 0xFF);
          }
        }
      } catch (AssertionError e) {
        throw TestSeed.withSeed(e, AtomicBatchTest.class, seed);
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
