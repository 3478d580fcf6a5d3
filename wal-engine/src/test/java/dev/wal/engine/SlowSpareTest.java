package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A rotation never waits for the spare's preallocation: while it is held up, segments start as
 * empty files that grow, and the log reads back and recovers the same.
 */
class SlowSpareTest {
  private static WalConfig config() {
    return WalConfig.builder()
        .segmentBytes(32 << 10)
        .bufferBytes(8 << 10)
        .maxRecordBytes(16 << 10)
        .build();
  }

  @Test
  void segmentsRotateWhileTheSpareIsHeldUpAndRecoverWhole() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Vfs inner = TestStorage.memory().open()) {
      SpareGatedVfs gated = new SpareGatedVfs(inner, release);
      try (Vfs vfs = gated;
          WriteAheadLog log = WriteAheadLog.open(vfs, config())) {
        gated.holding = true; // a new log waits for its first spare; the later ones are held up
        try {
          for (long lsn = 1; lsn <= 1000; lsn++) {
            log.appendNoWait(Payloads.bytes(lsn, 150), lsn);
          }
          log.flush();
          // 1000 records of ~190 bytes fill several 32 KiB segments; no spare got its zeros
          assertThat(SegmentFiles.segments(vfs)).hasSizeGreaterThan(3);
          assertThat(Payloads.readAll(log, 1)).hasSize(1000);
        } finally {
          release.countDown(); // closing waits for the preparation under way
        }
      }
      try (WriteAheadLog log = WriteAheadLog.open(inner, config())) {
        List<Payloads.Read> records = Payloads.readAll(log, 1);
        assertThat(records).hasSize(1000);
        for (Payloads.Read record : records) {
          assertThat(record.payload()).isEqualTo(Payloads.bytes(record.lsn(), 150));
        }
        assertThat(log.append(Payloads.text("after"), 0)).isEqualTo(1001);
      }
    }
  }

  /**
   * Holds every write to the spare, once {@code holding}, until released (or a minute passes),
   * like a slow disk.
   */
  private static final class SpareGatedVfs extends ForwardingVfs {
    private final CountDownLatch release;
    volatile boolean holding;

    SpareGatedVfs(Vfs delegate, CountDownLatch release) {
      super("spare-gated", delegate);
      this.release = release;
    }

    @Override
    AbstractVfsFile openFile(String name, VfsFile file) {
      boolean spare = name.equals(SegmentNames.SPARE);
      return new ForwardingFile(name, this, file) {
        @Override
        protected void doWrite(long offset, ByteBuffer src) throws IOException {
          if (spare && holding) {
            holdAt(release, "the spare's writes");
          }
          file.write(offset, src);
        }
      };
    }
  }
}
