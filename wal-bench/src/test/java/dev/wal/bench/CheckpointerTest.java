package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.AlreadyClosedException;
import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsSpec;
import dev.wal.vfs.memory.MemoryVfs;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The steady workload's checkpointer, on a log on the memory backend with small segments. */
class CheckpointerTest {
  private static final AtomicLong STORAGES = new AtomicLong();
  private static final long ONE_MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final WalConfig SMALL_SEGMENTS =
      WalConfig.builder().segmentBytes(64 << 10).bufferBytes(16 << 10).maxRecordBytes(4096).build();

  private String storage;
  private Vfs vfs;
  private WriteAheadLog log;

  @BeforeEach
  void openLog() throws IOException {
    storage = "checkpointer-test-" + STORAGES.incrementAndGet();
    vfs = Vfs.open(VfsSpec.of("memory", storage, Map.of()));
    log = WriteAheadLog.open(vfs, SMALL_SEGMENTS);
  }

  @AfterEach
  void closeLog() throws IOException {
    try {
      log.close();
    } finally {
      try {
        vfs.close();
      } finally {
        MemoryVfs.drop(storage);
      }
    }
  }

  private void appendDurably(int records) throws IOException {
    for (int i = 0; i < records; i++) {
      log.appendNoWait(new byte[100], i);
    }
    log.flush();
  }

  @Test
  void checkpointTruncatesToKeepTheLastRecordsBelowTheDurableLsn() throws IOException {
    appendDurably(1000);
    Checkpointer checkpointer = new Checkpointer(Checkpointer.of(log), 100, ONE_MS);

    assertThat(checkpointer.checkpoint()).isTrue();

    assertThat(log.firstLsn()).isEqualTo(901);
    assertThat(checkpointer.truncations()).isEqualTo(1);
    assertThat(checkpointer.truncatingNanos())
        .isPositive()
        .isEqualTo(checkpointer.longestTruncationNanos());
    try (LogReader reader = log.reader(901)) {
      LogRecord first = reader.next();
      assertThat(first).isNotNull();
      assertThat(first.lsn()).isEqualTo(901);
    }
  }

  @Test
  void checkpointWaitsUntilTwiceTheKeptRecordsAreDurable() throws IOException {
    Checkpointer checkpointer = new Checkpointer(Checkpointer.of(log), 100, ONE_MS);
    appendDurably(199);

    assertThat(checkpointer.checkpoint()).isFalse();
    assertThat(log.firstLsn()).isEqualTo(1);

    appendDurably(1);
    assertThat(checkpointer.checkpoint()).isTrue();
    assertThat(log.firstLsn()).isEqualTo(101);
  }

  @Test
  void runningCheckpointerTruncatesTheLogWhileAppendsGoOnAndStopsOnClose() throws IOException {
    byte[] payload = new byte[100];
    Checkpointer checkpointer = Checkpointer.start(Checkpointer.of(log), 100, ONE_MS);
    try {
      // A segment holds about 480 of these records, so three truncations also drop segments.
      for (int i = 0; i < 200_000 && checkpointer.truncations() < 3; i++) {
        log.append(payload, i);
      }
    } finally {
      checkpointer.close();
    }

    assertThat(checkpointer.truncations()).isGreaterThanOrEqualTo(3);
    assertThat(log.firstLsn()).isGreaterThan(300).isLessThanOrEqualTo(log.flushedLsn() - 100 + 1);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().equals("bench-checkpointer"));
    long first = log.firstLsn();
    appendDurably(1000);
    assertThat(log.firstLsn()).as("no truncation after close").isEqualTo(first);
  }

  @Test
  void failedTruncationIsThrownByClose() throws IOException {
    appendDurably(1000);
    log.close(); // so that the checkpointer's first truncation fails
    Checkpointer checkpointer = Checkpointer.start(Checkpointer.of(log), 100, ONE_MS);

    // The thread truncates once before it first waits, so close always finds the failure.
    assertThatThrownBy(checkpointer::close).isInstanceOf(AlreadyClosedException.class);
  }

  @Test
  void unexpectedFailureIsThrownByCloseAsTheCause() {
    IllegalArgumentException bug = new IllegalArgumentException("LSN out of range");
    Checkpointer.Log broken =
        new Checkpointer.Log() {
          @Override
          public long flushedLsn() {
            return 1000;
          }

          @Override
          public long firstLsn() {
            return 1;
          }

          @Override
          public void truncateBefore(long lsn) {
            throw bug;
          }
        };
    Checkpointer checkpointer = Checkpointer.start(broken, 10, ONE_MS);

    assertThatThrownBy(checkpointer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the checkpointer failed")
        .hasCause(bug);
  }

  @Test
  void nonPositiveKeepIsRefusedNamingIt() {
    assertThatThrownBy(() -> new Checkpointer(Checkpointer.of(log), 0, ONE_MS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepRecords (0) must be positive");
  }
}
