package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Found by the crash suite (issue 4's audit): a rotation flushed the old segment while a force
 * of it was failing; under Linux's fsync-failure model the rotation's flush succeeded with the
 * data gone, the old segment got a successor, and a power loss left a hole no recovery opens past.
 */
class OverlappingFlushTest {
  private static final WalConfig CONFIG = WalConfig.builder()
      .segmentBytes(8192)
      .bufferBytes(4096)
      .maxRecordBytes(4000)
      .preallocate(false)
      .flushInterval(Duration.ofMinutes(1))
      .build();

  @Test
  void aRotationOverlappingAFailedFlushOfTheOldSegmentFailsAndCreatesNoSuccessor()
      throws Exception {
    try (Vfs vfs = TestStorage.memory().open()) {
      FailingVfs gated = new FailingVfs(vfs);
      WriteAheadLog log = WriteAheadLog.open(gated, CONFIG);
      try {
        log.append(new byte[100], 1);
        log.appendNoWait(new byte[3800], 2);
        CountDownLatch gate = new CountDownLatch(1);
        gated.failGatedFlushOnce = true;
        gated.flushGate = gate;
        AtomicReference<Throwable> forced = new AtomicReference<>();
        Thread forcer = start("forcer", () -> log.flush(), forced);
        assertThat(gated.flushEntered.await(60, TimeUnit.SECONDS)).isTrue();
        // Sealed batches wake the background flusher, which writes them (the write role is free
        // while the force runs); the first that does not fit the first segment rotates.
        Thread appender = start("appender", () -> {
          for (int i = 0; i < 8; i++) {
            log.appendNoWait(new byte[4000], 3);
          }
          return null;
        }, new AtomicReference<>());
        awaitRotationFlush(gated);
        gate.countDown(); // the force fails
        forcer.join(TimeUnit.SECONDS.toMillis(60));
        appender.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(forced.get()).isNotNull();
        assertThat(vfs.list().stream().filter(n -> SegmentNames.parseSegmentName(n) > 0))
            .as("segments").hasSize(1);
      } finally {
        try {
          log.close();
        } catch (java.io.IOException expected) {
          // the log failed
        }
      }
    }
  }

  /** A log call that may fail, run on a thread of its own. */
  private interface Call {
    Object run() throws Exception;
  }

  private static Thread start(String name, Call call, AtomicReference<Throwable> failure) {
    Thread thread = new Thread(() -> {
      try {
        call.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, name);
    thread.start();
    return thread;
  }

  /**
   * Waits until the rotation's flush of the old segment (by the background flusher, which writes
   * the sealed batches) reached the storage, the overlap the log must not trust, or waits its
   * turn behind the failing force; bounded in time.
   */
  private static void awaitRotationFlush(FailingVfs gated) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!gated.otherFlushEntered.await(1, TimeUnit.MILLISECONDS)) {
      boolean waitingItsTurn = Thread.getAllStackTraces().entrySet().stream()
          .anyMatch(e -> e.getKey().getState() == Thread.State.BLOCKED
              && Arrays.stream(e.getValue())
                  .anyMatch(frame -> frame.getMethodName().equals("flushAlone")));
      if (waitingItsTurn) {
        return;
      }
      assertThat(System.nanoTime() - deadline).as("waiting for the rotation's flush").isNegative();
    }
  }
}
