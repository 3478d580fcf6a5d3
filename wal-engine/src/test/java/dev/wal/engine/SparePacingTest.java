package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whoever waits for a spare ends the pauses of its preparation: a rotation or truncation taking
 * it, a test waiting for the background to be idle, and close. Here the pacer would pause a day
 * after every step; each case would hang without the hurry (the timeout is a guard against that,
 * not a measure of speed).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SparePacingTest {
  private static final long SEGMENT = 4 << 20;
  private static final WalConfig CONFIG =
      WalConfig.builder().segmentBytes(SEGMENT).maxRecordBytes(1 << 20).build();

  private long now;
  private Vfs vfs;
  private SparePreparer spares;

  @BeforeEach
  void aLogSoSlowThatEveryPauseIsADay() throws IOException {
    ZeroPacer pacer = new ZeroPacer(SEGMENT, () -> now, TimeUnit.DAYS.toNanos(1));
    now = TimeUnit.SECONDS.toNanos(1);
    pacer.written(1); // one byte a second: the segment would fill in 48 days
    vfs = TestStorage.memory().open();
    spares = new SparePreparer(vfs, CONFIG, pacer);
  }

  @AfterEach
  void closeStorage() throws IOException {
    try {
      spares.close();
    } finally {
      vfs.close();
    }
  }

  @Test
  void takingTheSpareEndsThePauses() throws IOException {
    spares.prepareAhead();
    SparePreparer.Spare spare = spares.take();
    try {
      assertThat(spare.bytes()).isEqualTo(SEGMENT);
      assertThat(spare.file().size()).isEqualTo(SEGMENT);
    } finally {
      spare.file().close();
    }
  }

  @Test
  void waitingForTheBackgroundEndsThePauses() throws IOException {
    spares.prepareAhead();
    spares.awaitIdle();
    assertThat(spareSize()).isEqualTo(SEGMENT);
  }

  @Test
  void closingEndsThePausesAndLeavesTheSpareWhole() throws IOException {
    spares.prepareAhead();
    spares.close();
    assertThat(spareSize()).isEqualTo(SEGMENT);
  }

  private long spareSize() throws IOException {
    try (VfsFile file = vfs.open(SegmentNames.SPARE, Vfs.OpenMode.EXISTING)) {
      return file.size();
    }
  }
}
