package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.AlreadyClosedException;
import dev.wal.LogEntry;
import dev.wal.RecordTooLargeException;
import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The log's behaviour through its public API, on the memory and the local backend. */
class WriteAheadLogTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  static WalConfig small() {
    return WalConfig.builder()
        .segmentBytes(64 << 10)
        .bufferBytes(8 << 10)
        .maxRecordBytes(40 << 10)
        .build();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recordsFromOneThreadComeBackInOrderWithTheirLsnsAndTags(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      for (int i = 0; i < 4096; i++) {
        long lsn = log.appendNoWait(Payloads.text("record " + i), 1000L + i);
        assertThat(lsn).isEqualTo(i + 1);
      }
      log.flush();
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      assertThat(records).hasSize(4096);
      for (int i = 0; i < 4096; i++) {
        assertThat(records.get(i).lsn()).isEqualTo(i + 1);
        assertThat(records.get(i).tag()).isEqualTo(1000L + i);
        assertThat(records.get(i).text()).isEqualTo("record " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recordsFromFourThreadsAllComeBackExactlyOnce(String backend) throws Exception {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      int threads = 4;
      int perThread = 4096;
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                      long tag = ((long) thread << 32) | i;
                      if (i % 64 == 0) {
                        log.append(Payloads.text(thread + ":" + i), tag);
                      } else {
                        log.appendNoWait(Payloads.text(thread + ":" + i), tag);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      workers.forEach(Thread::start);
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      assertThat(failures).isEmpty();
      log.flush();
      List<Payloads.Read> records = Payloads.readAll(log, 1);
      assertThat(records).hasSize(threads * perThread);
      Set<Long> tags = new HashSet<>();
      long[] nextPerThread = new long[threads];
      for (int i = 0; i < records.size(); i++) {
        Payloads.Read record = records.get(i);
        assertThat(record.lsn()).isEqualTo(i + 1);
        assertThat(tags.add(record.tag())).isTrue();
        int thread = (int) (record.tag() >>> 32);
        int seq = (int) record.tag();
        assertThat(seq).as("each thread's records keep their order").isEqualTo(nextPerThread[thread]++);
        assertThat(record.text()).isEqualTo(thread + ":" + seq);
      }
    }
  }

  /** A typed entry with a variable-length key, as the original's split-op test. */
  record KeyedEntry(long pageId, byte[] key, int value) implements LogEntry {
    @Override
    public int size() {
      return 8 + 4 + key.length + 4;
    }

    @Override
    public void writeTo(ByteBuffer buffer) {
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      buffer.putLong(pageId).putInt(key.length).put(key).putInt(value);
    }

    static KeyedEntry readFrom(ByteBuffer payload) {
      ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      long pageId = in.getLong();
      byte[] key = new byte[in.getInt()];
      in.get(key);
      return new KeyedEntry(pageId, key, in.getInt());
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aTypedEntryWithAVariableLengthKeyRoundTrips(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      for (int keyLength : new int[] {0, 1, 7, 8, 9, 300}) {
        byte[] key = Payloads.bytes(keyLength, keyLength);
        long lsn = log.append(new KeyedEntry(42 + keyLength, key, -keyLength), keyLength);
        try (LogReader reader = log.reader(lsn)) {
          KeyedEntry read = KeyedEntry.readFrom(reader.next().payload());
          assertThat(read.pageId()).isEqualTo(42 + keyLength);
          assertThat(read.key()).isEqualTo(key);
          assertThat(read.value()).isEqualTo(-keyLength);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reopeningContinuesAfterTheLastRecord(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
        for (int i = 0; i < 100; i++) {
          log.appendNoWait(Payloads.text("first " + i), i);
        }
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
        assertThat(log.lastLsn()).isEqualTo(100);
        assertThat(log.flushedLsn()).isEqualTo(100);
        assertThat(log.append(Payloads.text("second"), 7)).isEqualTo(101);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
        List<Payloads.Read> records = Payloads.readAll(log, 1);
        assertThat(records).hasSize(101);
        assertThat(records.get(99).text()).isEqualTo("first 99");
        assertThat(records.get(100).text()).isEqualTo("second");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recordsOfEverySizeUpToTheMaximumRoundTrip(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    WalConfig config = small();
    int buffer = config.bufferBytes();
    int[] sizes = {0, 1, buffer - 65, buffer - 64, buffer - 1, buffer, buffer + 1, config.maxRecordBytes()};
    try (Vfs vfs = storage.open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
        for (int size : sizes) {
          log.append(ByteBuffer.wrap(Payloads.bytes(size, size)), size);
          log.appendNoWait(Payloads.bytes(size + 1, size), size);
        }
        assertThatThrownBy(() -> log.append(new byte[config.maxRecordBytes() + 1], 0))
            .isInstanceOf(RecordTooLargeException.class)
            .hasMessageContaining(String.valueOf(config.maxRecordBytes() + 1));
        assertThat(log.append(Payloads.text("still usable"), 0)).isEqualTo(2L * sizes.length + 1);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
        List<Payloads.Read> records = Payloads.readAll(log, 1);
        assertThat(records).hasSize(2 * sizes.length + 1);
        for (int i = 0; i < sizes.length; i++) {
          assertThat(records.get(2 * i).payload()).isEqualTo(Payloads.bytes(sizes[i], sizes[i]));
          assertThat(records.get(2 * i + 1).payload())
              .isEqualTo(Payloads.bytes(sizes[i] + 1, sizes[i]));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recordsRotateAcrossManySegmentsAndReadBackAfterReopen(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    int count = 3000;
    try (Vfs vfs = storage.open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
        for (int i = 0; i < count; i++) {
          log.appendNoWait(Payloads.bytes(i, 100 + i % 200), i);
        }
      }
      assertThat(vfs.list().stream().filter(n -> n.endsWith(".wal")).count()).isGreaterThan(5);
      try (WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
        List<Payloads.Read> records = Payloads.readAll(log, 1);
        assertThat(records).hasSize(count);
        for (int i = 0; i < count; i++) {
          assertThat(records.get(i).payload()).isEqualTo(Payloads.bytes(i, 100 + i % 200));
        }
        assertThat(Payloads.readAll(log, 2500)).hasSize(count - 2499);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aSecondWriterOnTheSameStorageGetsLockHeld(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        Vfs other = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      assertThatThrownBy(() -> WriteAheadLog.open(other, small()))
          .isInstanceOf(LockHeldException.class);
      assertThat(log.append(Payloads.text("first writer goes on"), 0)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void callsAfterCloseThrowAlreadyClosed(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open()) {
      WriteAheadLog log = WriteAheadLog.open(vfs, small());
      log.appendNoWait(Payloads.text("x"), 0);
      log.close();
      log.close();
      assertThatThrownBy(() -> log.append(Payloads.text("y"), 0))
          .isInstanceOf(AlreadyClosedException.class);
      assertThatThrownBy(log::flush).isInstanceOf(AlreadyClosedException.class);
      assertThatThrownBy(() -> log.reader(1)).isInstanceOf(AlreadyClosedException.class);
      try (WriteAheadLog reopened = WriteAheadLog.open(vfs, small())) {
        assertThat(reopened.lastLsn()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anEntryThatWritesAnotherSizeIsRefusedAndTheLogStaysUsable(String backend)
      throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    LogEntry liar =
        new LogEntry() {
          @Override
          public int size() {
            return 10;
          }

          @Override
          public void writeTo(ByteBuffer buffer) {
            buffer.put(new byte[5]);
          }
        };
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      log.append(Payloads.text("before"), 1);
      assertThatThrownBy(() -> log.append(liar, 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("wrote 5 bytes");
      assertThat(log.append(Payloads.text("after"), 3)).isEqualTo(2);
      assertThat(Payloads.readAll(log, 1))
          .extracting(Payloads.Read::text)
          .containsExactly("before", "after");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aReaderRefusesLsnsTruncatedAwayOrNotYetAppended(String backend) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, small())) {
      for (int i = 0; i < 2000; i++) {
        log.appendNoWait(Payloads.bytes(i, 100), i);
      }
      log.truncateBefore(1500);
      long first = log.firstLsn();
      assertThat(first).isGreaterThan(1).isLessThanOrEqualTo(1500);
      assertThatThrownBy(() -> log.reader(first - 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LSN " + (first - 1) + " was truncated away");
      assertThatThrownBy(() -> log.reader(2002))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not exist yet");
      log.flush();
      try (LogReader reader = log.reader(2001)) {
        assertThat(reader.next()).isNull();
        log.append(Payloads.text("new"), 0);
        assertThat(reader.next().lsn()).isEqualTo(2001);
      }
    }
  }

  static String text(ByteBuffer payload) {
    return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
  }

  /** Waits, at most a minute, for the background flusher to make {@code lsn} durable. */
  private static boolean flushedInTheBackground(WriteAheadLog log, long lsn)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (log.flushedLsn() < lsn && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }
    return log.flushedLsn() >= lsn;
  }

  static WalConfig flushEvery5Ms() {
    return WalConfig.builder()
        .segmentBytes(64 << 10)
        .bufferBytes(8 << 10)
        .maxRecordBytes(1 << 10)
        .flushInterval(java.time.Duration.ofMillis(5))
        .build();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recordsAppendedWithoutWaitingBecomeDurableWithNoFlushCall(String backend)
      throws Exception {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, flushEvery5Ms())) {
      long lsn = 0;
      for (int i = 0; i < 3; i++) {
        lsn = log.appendNoWait(Payloads.text("buffered " + i), i);
      }
      assertThat(flushedInTheBackground(log, lsn)).as("the flusher made LSN %s durable", lsn)
          .isTrue();
      assertThat(Payloads.readAll(log, 1)).hasSize(3);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theFlusherStillFlushesAfterALoneAppenderLedEveryFlushItself(String backend)
      throws Exception {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open();
        WriteAheadLog log = WriteAheadLog.open(vfs, flushEvery5Ms())) {
      for (int i = 0; i < 200; i++) { // each leads its own write and flush, releasing both roles
        log.append(Payloads.text("durable " + i), i);
      }
      long lsn = log.appendNoWait(Payloads.text("then one buffered"), 0);
      assertThat(flushedInTheBackground(log, lsn)).as("the flusher made LSN %s durable", lsn)
          .isTrue();
    }
  }
}
