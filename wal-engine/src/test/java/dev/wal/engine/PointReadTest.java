package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogRecord;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Point reads by LSN through the sparse segment index, while appends go on and after reopen. */
class PointReadTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static WalConfig config() {
    return WalConfig.builder()
        .segmentBytes(256 << 10)
        .bufferBytes(16 << 10)
        .maxRecordBytes(40 << 10)
        .build();
  }

  private static int sizeOf(long lsn) {
    return lsn % 97 == 0 ? 20_000 : (int) (lsn % 300);
  }

  private static void fill(WriteAheadLog log, int count) throws IOException {
    for (long lsn = log.lastLsn() + 1; lsn <= count; lsn++) {
      log.appendNoWait(Payloads.bytes(lsn, sizeOf(lsn)), lsn * 3);
    }
    log.flush();
  }

  private static void assertRecord(LogRecord record, long lsn) {
    assertThat(record).as("record %d", lsn).isNotNull();
    assertThat(record.lsn()).isEqualTo(lsn);
    assertThat(record.tag()).isEqualTo(lsn * 3);
    assertThat(record.payloadBytes()).isEqualTo(Payloads.bytes(lsn, sizeOf(lsn)));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void seekReadsRecordsInAnyOrderAcrossSegments(String backend) throws IOException {
    long seed = TestSeed.seed();
    SplittableRandom random = new SplittableRandom(seed);
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      fill(log, 3000);
      assertThat(SegmentFiles.segments(vfs)).hasSizeGreaterThan(3);
      try (LogReader reader = log.reader(1)) {
        for (int i = 0; i < 500; i++) {
          long lsn = 1 + random.nextInt(3000);
          reader.seek(lsn);
          assertRecord(reader.next(), lsn);
          if (lsn < 3000) {
            assertRecord(reader.next(), lsn + 1); // reading goes on from there
          } else {
            assertThat(reader.next()).isNull();
          }
        }
      } catch (AssertionError | RuntimeException e) {
        throw TestSeed.withSeed(e, PointReadTest.class, seed);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void readReturnsACopyOfAnyDurableRecordAfterReopen(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 2000);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (long lsn = 1; lsn <= 2000; lsn += 37) {
          LogRecord first = log.read(lsn);
          LogRecord second = log.read(lsn == 2000 ? 1 : lsn + 1);
          assertRecord(first, lsn); // still valid after the second read
          assertThat(second.lsn()).isEqualTo(lsn == 2000 ? 1 : lsn + 1);
        }
        assertRecord(log.read(2000), 2000);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recoveryRebuildsTheIndexOfEverySegment(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        fill(log, 3000);
      }
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        for (long firstLsn : log.segments().snapshot()) {
          SegmentIndex index = log.segments().indexFor(firstLsn);
          assertThat(index.firstLsn()).isEqualTo(firstLsn);
          assertThat(index.size()).as("segment %d", firstLsn).isGreaterThan(1);
        }
      }
    }
  }

  @Test
  void aPointReadStartsNearTheRecordNotAtTheSegmentStart() throws IOException {
    WalConfig config =
        WalConfig.builder().segmentBytes(16 << 20).bufferBytes(64 << 10).build();
    try (Vfs vfs = TestStorage.memory().open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      for (int i = 0; i < 40_000; i++) {
        log.appendNoWait(Payloads.bytes(i, 200), i);
      }
      log.flush();
      assertThat(SegmentFiles.segments(vfs)).hasSize(1);
      SegmentIndex index = log.segments().indexFor(39_000);
      long[] floor = index.floor(39_000);
      assertThat(floor[0]).isLessThanOrEqualTo(39_000);
      // about one stride of records (~240 B each) lies between the indexed one and the target
      assertThat(39_000 - floor[0]).isLessThan(2 * SegmentIndex.STRIDE_BYTES / 200);
      assertThat(log.read(39_000).payloadBytes()).isEqualTo(Payloads.bytes(38_999, 200));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void seekRefusesLsnsTruncatedAwayOrNotYetAppended(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      fill(log, 100);
      log.truncateBefore(40);
      try (LogReader reader = log.reader(50)) {
        assertThatThrownBy(() -> reader.seek(39))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("LSN 39 was truncated away");
        assertThatThrownBy(() -> reader.seek(102))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("LSN 102 does not exist yet");
        reader.seek(101);
        assertThat(reader.next()).isNull();
        log.append(Payloads.bytes(101, sizeOf(101)), 303);
        assertRecord(reader.next(), 101);
        reader.seek(40);
        assertRecord(reader.next(), 40);
      }
      assertThatThrownBy(() -> log.read(39)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.read(102)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRecordNotYetDurableReadsAsNull() throws IOException {
    WalConfig config = WalConfig.builder().flushInterval(Duration.ofMinutes(1)).build();
    try (Vfs vfs = TestStorage.memory().open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
      long lsn = log.appendNoWait(Payloads.text("pending"), 7);
      assertThat(log.read(lsn)).isNull();
      log.waitFor(lsn);
      assertThat(log.read(lsn).tag()).isEqualTo(7);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void pointReadsWhileAppendsGoOnSeeEveryDurableRecord(String backend) throws Exception {
    long seed = TestSeed.seed();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
      log.append(Payloads.bytes(1, sizeOf(1)), 3);
      CountDownLatch started = new CountDownLatch(1);
      Future<Integer> reads =
          executor.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                int done = 0;
                try (LogReader reader = log.reader(1)) {
                  started.countDown();
                  for (int i = 0; i < 3000; i++) {
                    long durable = log.flushedLsn();
                    long lsn = 1 + random.nextLong(durable);
                    reader.seek(lsn);
                    assertRecord(reader.next(), lsn);
                    done++;
                  }
                }
                return done;
              });
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      for (long lsn = 2; lsn <= 3000 && !reads.isDone(); lsn++) {
        if (lsn % 10 == 0) {
          log.append(Payloads.bytes(lsn, sizeOf(lsn)), lsn * 3);
        } else {
          log.appendNoWait(Payloads.bytes(lsn, sizeOf(lsn)), lsn * 3);
        }
      }
      try {
        assertThat(reads.get(60, TimeUnit.SECONDS)).isEqualTo(3000);
      } catch (Exception | AssertionError e) {
        throw TestSeed.withSeed(e, PointReadTest.class, seed);
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
