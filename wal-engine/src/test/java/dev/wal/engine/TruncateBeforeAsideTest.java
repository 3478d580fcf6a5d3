package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@code truncateBefore} runs aside from group commit: while its meta file write or its segment
 * deletes wait on a slow disk, durable appends go on; closing waits for it.
 */
class TruncateBeforeAsideTest {
  private static final WalConfig CONFIG =
      WalConfig.builder().segmentBytes(16 << 10).bufferBytes(4096).maxRecordBytes(2000).build();

  @Test
  void durableAppendsGoOnWhileATruncationWaitsOnTheDisk() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Vfs inner = TestStorage.memory().open()) {
      MetaGatedVfs gated = new MetaGatedVfs(inner);
      long first;
      long last;
      try (WriteAheadLog log = WriteAheadLog.open(gated, CONFIG)) {
        for (long lsn = 1; lsn <= 100; lsn++) {
          log.append(Payloads.bytes(lsn, 300), lsn);
        }
        first = 90;
        gated.holding = true;
        Future<?> truncation = threads.submit(() -> {
          log.truncateBefore(first);
          return null;
        });
        assertThat(gated.entered.await(60, TimeUnit.SECONDS)).isTrue();
        // Appends that wait for durability, some rotating segments, while the meta is held.
        Future<Long> appends = threads.submit(() -> {
          long lsn = 0;
          for (int i = 0; i < 100; i++) {
            lsn = log.append(Payloads.bytes(101 + i, 300), 101 + i);
          }
          return lsn;
        });
        last = appends.get(60, TimeUnit.SECONDS);
        assertThat(truncation.isDone()).isFalse();
        gated.release.countDown();
        truncation.get(60, TimeUnit.SECONDS);
        assertThat(log.firstLsn()).isEqualTo(first);
      }
      try (WriteAheadLog log = WriteAheadLog.open(inner, CONFIG)) {
        assertThat(log.firstLsn()).isEqualTo(first);
        assertThat(Payloads.readAll(log, first)).hasSize((int) (last - first + 1));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void closingWaitsForATruncationUnderWay() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Vfs inner = TestStorage.memory().open()) {
      MetaGatedVfs gated = new MetaGatedVfs(inner);
      WriteAheadLog log = WriteAheadLog.open(gated, CONFIG);
      for (long lsn = 1; lsn <= 100; lsn++) {
        log.append(Payloads.bytes(lsn, 300), lsn);
      }
      gated.holding = true;
      Future<?> truncation = threads.submit(() -> {
        log.truncateBefore(50);
        return null;
      });
      assertThat(gated.entered.await(60, TimeUnit.SECONDS)).isTrue();
      Future<?> closing = threads.submit(() -> {
        log.close();
        return null;
      });
      // It cannot finish while the truncation is held (a slow machine only makes this weaker).
      assertThatThrownBy(() -> closing.get(200, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      gated.release.countDown();
      truncation.get(60, TimeUnit.SECONDS);
      closing.get(60, TimeUnit.SECONDS);
      try (WriteAheadLog reopened = WriteAheadLog.open(inner, CONFIG)) {
        assertThat(reopened.firstLsn()).isEqualTo(50);
        assertThat(reopened.lastLsn()).isEqualTo(100);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Holds the rename that installs a new meta file, once {@code holding}, until released. */
  private static final class MetaGatedVfs extends ForwardingVfs {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean holding;

    MetaGatedVfs(Vfs delegate) {
      super("meta-gated", delegate);
    }

    @Override
    protected void doRename(String source, String target) throws IOException {
      if (holding && target.equals(SegmentNames.META)) {
        holding = false;
        entered.countDown();
        holdAt(release, "the meta file's rename");
      }
      super.doRename(source, target);
    }
  }
}
