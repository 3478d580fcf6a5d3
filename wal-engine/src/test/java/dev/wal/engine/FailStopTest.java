package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogFailedException;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** After a failed write or flush the log acknowledges nothing more, and reopening recovers. */
class FailStopTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private void failStopsAfter(String backend, boolean failFlush) throws IOException {
    TestStorage storage = TestStorage.of(backend, tempDir);
    try (Vfs vfs = storage.open()) {
      FailingVfs failing = new FailingVfs(vfs);
      WriteAheadLog log = WriteAheadLog.open(failing, WriteAheadLogTest.small());
      for (int i = 1; i <= 10; i++) {
        log.append(Payloads.text("acked " + i), i);
      }
      long flushed = log.flushedLsn();
      AtomicInteger counter = failFlush ? failing.flushesLeft : failing.writesLeft;
      counter.set(0);
      assertThatThrownBy(() -> log.append(Payloads.text("lost"), 11))
          .isInstanceOf(LogFailedException.class)
          .rootCause()
          .hasMessageStartingWith("injected " + (failFlush ? "flush" : "write") + " failure");
      assertThat(log.flushedLsn()).isEqualTo(flushed);
      counter.set(-1); // storage works again, but the log must stay stopped
      assertThatThrownBy(() -> log.appendNoWait(Payloads.text("later"), 12))
          .isInstanceOf(LogFailedException.class);
      assertThatThrownBy(log::flush).isInstanceOf(LogFailedException.class);
      assertThatThrownBy(() -> log.waitFor(11)).isInstanceOf(LogFailedException.class);
      assertThat(log.flushedLsn()).isEqualTo(flushed);
      assertThatThrownBy(log::close).isInstanceOf(LogFailedException.class);
      failing.close();
      try (WriteAheadLog reopened = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        List<Payloads.Read> records = Payloads.readAll(reopened, 1);
        assertThat(records.subList(0, 10))
            .extracting(Payloads.Read::text)
            .containsExactly(
                "acked 1", "acked 2", "acked 3", "acked 4", "acked 5", "acked 6", "acked 7",
                "acked 8", "acked 9", "acked 10");
        long next = reopened.append(Payloads.text("after reopen"), 0);
        assertThat(next).isEqualTo(records.size() + 1);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFailedWriteStopsTheLogAndReopeningRecovers(String backend) throws IOException {
    failStopsAfter(backend, false);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFailedFlushStopsTheLogAndReopeningRecovers(String backend) throws IOException {
    failStopsAfter(backend, true);
  }
}
