package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.AlreadyClosedException;
import dev.wal.LogRecord;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Readers, closers and interrupts meeting appends in flight. */
class ConcurrencyTest {
  @TempDir Path tempDir;

  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(120);

  static List<String> backends() {
    return TestStorage.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aReaderSeesEveryDurableRecordWhileAppendsGoOn(String backend) throws Exception {
    int count = 5000;
    try (Vfs vfs = TestStorage.of(backend, tempDir).open();
        WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 1; i <= count; i++) {
                    if (i % 50 == 0) {
                      log.append(Payloads.bytes(i, i % 120), i);
                    } else {
                      log.appendNoWait(Payloads.bytes(i, i % 120), i);
                    }
                  }
                  log.flush();
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      writer.start();
      long start = System.nanoTime();
      long expected = 1;
      try (LogReader reader = log.reader(1)) {
        while (expected <= count && System.nanoTime() - start < DEADLINE_NANOS) {
          LogRecord record = reader.next();
          if (record == null) {
            assertThat(failure.get()).isNull();
            Thread.yield();
            continue;
          }
          assertThat(record.lsn()).isEqualTo(expected);
          assertThat(record.lsn()).isLessThanOrEqualTo(log.flushedLsn());
          assertThat(record.tag()).isEqualTo(expected);
          assertThat(record.payloadBytes()).isEqualTo(Payloads.bytes(expected, (int) expected % 120));
          expected++;
        }
      }
      writer.join();
      assertThat(failure.get()).isNull();
      assertThat(expected).isEqualTo(count + 1);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void closeDuringConcurrentAppendsAcknowledgesDurablyOrRefuses(String backend) throws Exception {
    TestStorage storage = TestStorage.of(backend, tempDir);
    int threads = 8;
    Map<Long, String> acked = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    try (Vfs vfs = storage.open()) {
      WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small());
      CountDownLatch running = new CountDownLatch(threads);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 1_000_000; i++) {
                      String text = thread + ":" + i;
                      long lsn =
                          i % 3 == 0
                              ? log.appendNoWait(Payloads.text(text), thread)
                              : log.append(Payloads.text(text), thread);
                      if (i % 3 != 0) {
                        acked.put(lsn, text);
                      }
                      if (i == 10) {
                        running.countDown();
                      }
                    }
                  } catch (AlreadyClosedException expected) {
                    // the one other outcome allowed
                  } catch (Throwable e) {
                    unexpected.add(e);
                  } finally {
                    running.countDown();
                  }
                }));
      }
      workers.forEach(Thread::start);
      assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
      log.close();
      for (Thread worker : workers) {
        worker.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(worker.isAlive()).as("an appender hangs after close").isFalse();
      }
      assertThat(unexpected).isEmpty();
      try (WriteAheadLog reopened = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        Map<Long, String> found = new ConcurrentHashMap<>();
        for (Payloads.Read read : Payloads.readAll(reopened, 1)) {
          found.put(read.lsn(), read.text());
        }
        assertThat(acked).isNotEmpty();
        acked.forEach((lsn, text) -> assertThat(found.get(lsn)).isEqualTo(text));
      }
    }
  }

  @Test
  void anAppenderInterruptedWhileWaitingGetsInterruptedIoAndTheLogGoesOn() throws Exception {
    try (Vfs vfs = TestStorage.memory().open()) {
      FailingVfs gated = new FailingVfs(vfs);
      try (WriteAheadLog log = WriteAheadLog.open(gated, WriteAheadLogTest.small())) {
        log.append(Payloads.text("before"), 0);
        CountDownLatch gate = new CountDownLatch(1);
        gated.flushGate = gate;
        Thread leader =
            new Thread(
                () -> {
                  try {
                    log.append(Payloads.text("leader"), 1);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        leader.start();
        assertThat(gated.flushEntered.await(60, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> waiterOutcome = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        CountDownLatch waiterAppended = new CountDownLatch(1);
        Thread waiter =
            new Thread(
                () -> {
                  try {
                    long lsn = log.appendNoWait(Payloads.text("waiter"), 2);
                    waiterAppended.countDown();
                    log.waitFor(lsn);
                  } catch (Throwable e) {
                    waiterOutcome.set(e);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                  }
                });
        waiter.start();
        assertThat(waiterAppended.await(60, TimeUnit.SECONDS)).isTrue();
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(waiterOutcome.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(flagAfter.get()).isTrue();
        gated.flushGate = null;
        gate.countDown(); // the leader's flush goes on

        leader.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(leader.isAlive()).isFalse();
        log.flush();
        assertThat(Payloads.readAll(log, 1))
            .extracting(Payloads.Read::text)
            .containsExactly("before", "leader", "waiter");
      }
    }
  }

  @Test
  void anAlreadyInterruptedThreadDoesNotStartIo() throws Exception {
    WalConfig noBackgroundFlush =
        WalConfig.builder()
            .segmentBytes(64 << 10)
            .bufferBytes(8 << 10)
            .maxRecordBytes(1 << 10)
            .flushInterval(java.time.Duration.ofMinutes(1))
            .build();
    try (Vfs vfs = TestStorage.memory().open();
        WriteAheadLog log = WriteAheadLog.open(vfs, noBackgroundFlush)) {
      long lsn = log.appendNoWait(Payloads.text("x"), 0);
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> log.waitFor(lsn)).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      log.waitFor(lsn);
      assertThat(log.flushedLsn()).isGreaterThanOrEqualTo(lsn);
    }
  }
}
