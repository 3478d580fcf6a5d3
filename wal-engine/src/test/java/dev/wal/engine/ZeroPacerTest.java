package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A spare's zeros are spread over the time the log gives them, on a simulated clock: a slow log's
 * spare is paced but still ready before the active segment fills, a fast log's is written without
 * pauses, and an idle log's at a fraction of the disk's speed.
 */
class ZeroPacerTest {
  private static final long SEGMENT = 64L << 20;
  private static final long STEP = 1 << 20;
  /** How long one step of zeros takes on the simulated disk: 200 MB/s. */
  private static final long STEP_NANOS = ms(5);
  private static final long MAX_PAUSE = ms(100);
  private static final long WRITE_EVERY = ms(1);

  private long now;
  private long offset;
  private final ZeroPacer pacer = new ZeroPacer(SEGMENT, () -> now, MAX_PAUSE);

  @Test
  void aSlowLogsSpareIsPacedAndReadyBeforeTheSegmentIsThreeQuartersFull() {
    long bytesPerSecond = 16 << 20; // the segment fills in 4 s; unpaced zeros take 0.32 s
    writeUntil(0, bytesPerSecond);
    long doneAt = prepare(bytesPerSecond, new ArrayList<>());
    assertThat(doneAt).isGreaterThan(SEGMENT / 2).isLessThanOrEqualTo(SEGMENT * 3 / 4 + STEP);
  }

  @Test
  void aSpareStartedAtHalfFullIsStillReadyInTime() {
    long bytesPerSecond = 16 << 20;
    writeUntil(SEGMENT / 2, bytesPerSecond);
    long doneAt = prepare(bytesPerSecond, new ArrayList<>());
    assertThat(doneAt).isGreaterThan(SEGMENT / 2 + STEP).isLessThanOrEqualTo(SEGMENT * 3 / 4 + STEP);
  }

  @Test
  void aFastLogsSpareIsWrittenWithoutPauses() {
    long bytesPerSecond = 400L << 20; // the segment fills in 0.16 s, faster than the zeros
    writeUntil(0, bytesPerSecond);
    List<Long> pauses = new ArrayList<>();
    prepare(bytesPerSecond, pauses);
    assertThat(pauses).hasSize(63).containsOnly(0L);
  }

  @Test
  void aLogThatSpeedsUpStillFindsItsSpareReady() {
    writeUntil(0, 8 << 20);
    List<Long> pauses = new ArrayList<>();
    long doneAt = prepareWhile(pauses, step -> step < 8 ? 8 << 20 : 64 << 20);
    assertThat(pauses.subList(0, 8)).allMatch(pause -> pause > 0);
    assertThat(doneAt).isLessThan(SEGMENT);
  }

  @Test
  void aVerySlowLogsSpareTakesOneStepPerLongestPause() {
    writeUntil(0, 64 << 10); // 64 KiB/s: the segment would take 17 minutes to fill
    assertThat(pacer.pauseNanos(STEP, STEP_NANOS, SEGMENT - STEP)).isEqualTo(MAX_PAUSE);
  }

  @Test
  void anIdleLogsSpareIsWrittenAtAQuarterOfTheDisksSpeed() {
    assertThat(pacer.pauseNanos(STEP, STEP_NANOS, SEGMENT - STEP)).isEqualTo(3 * STEP_NANOS);
    writeUntil(0, 16 << 20);
    now += ms(600); // no write for longer than the rate's window
    assertThat(pacer.pauseNanos(STEP, STEP_NANOS, SEGMENT - STEP)).isEqualTo(3 * STEP_NANOS);
    assertThat(pacer.pauseNanos(STEP, ms(50), SEGMENT - STEP)).isEqualTo(MAX_PAUSE);
  }

  @Test
  void noPauseAfterTheLastStep() {
    writeUntil(0, 64 << 10);
    assertThat(pacer.pauseNanos(STEP, STEP_NANOS, 0)).isZero();
  }

  /**
   * Writes for a second at a steady rate, a write a millisecond, then starts a new segment and
   * writes it to {@code target}.
   */
  private void writeUntil(long target, long bytesPerSecond) {
    advance(ms(1_000), bytesPerSecond);
    offset = 0;
    pacer.rotated();
    while (offset < target) {
      advance(WRITE_EVERY, bytesPerSecond);
    }
  }

  /** Runs a preparation while the log writes steadily; returns the segment's offset at its end. */
  private long prepare(long bytesPerSecond, List<Long> pauses) {
    return prepareWhile(pauses, step -> bytesPerSecond);
  }

  private interface Rate {
    long bytesPerSecond(int step);
  }

  private long prepareWhile(List<Long> pauses, Rate rate) {
    for (int step = 0; step * STEP < SEGMENT; step++) {
      advance(STEP_NANOS, rate.bytesPerSecond(step));
      long left = SEGMENT - (step + 1) * STEP;
      if (left > 0) {
        long pause = pacer.pauseNanos(STEP, STEP_NANOS, left);
        pauses.add(pause);
        advance(pause, rate.bytesPerSecond(step));
      }
    }
    return offset;
  }

  /** Moves the clock on by {@code nanos}, the log writing at {@code bytesPerSecond} meanwhile. */
  private void advance(long nanos, long bytesPerSecond) {
    for (long passed = 0; passed < nanos; passed += WRITE_EVERY) {
      long tick = Math.min(WRITE_EVERY, nanos - passed);
      now += tick;
      offset += bytesPerSecond * tick / TimeUnit.SECONDS.toNanos(1);
      pacer.written(offset);
    }
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
