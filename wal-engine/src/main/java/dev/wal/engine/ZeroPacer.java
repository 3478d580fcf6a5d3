package dev.wal.engine;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spreads the writing of a spare's zeros over the time the log has before it needs the spare.
 *
 * <p>Zero-filling a segment at the disk's full speed fills the device's queue, and the log's own
 * flushes wait behind it. In a three-member Raft cluster on one disk, where all three logs rotate
 * together, about 2,000 commits were slower than 8 ms in each 600 ms fill, against about 100 at
 * other times. So the preparation writes its zeros in flushed steps, and after each step it
 * pauses: long enough that the zeros are done when the active segment is three quarters full,
 * judged from how fast the log has been writing. A log that writes fast gets its spare at full
 * speed; a log that writes slowly gets it at a trickle, at most one step per {@link
 * #MAX_PAUSE_NANOS}; a log with no recent writes at a quarter of the disk's speed.
 *
 * <p>Thread safety: {@link #written} and {@link #rotated} are called by the thread holding the
 * log's I/O role, {@link #pauseNanos} by the preparing thread. Their shared state is a few
 * volatile fields read without a lock: a reader may see one write's offset with the previous
 * write's time, which moves an estimate a little and nothing else.
 */
final class ZeroPacer {
  /**
   * The longest pause after one step: at most a segment's steps times this, for a slow log. With
   * the preparer's 256 KiB steps, a trickle of 10 MiB a second.
   */
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  /** The span over which the log's write rate is measured: recent, but longer than a burst. */
  private static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** How full the active segment is, at most, when a paced preparation is done. */
  private static final double READY_AT = 0.75;

  /** With no recent writes to judge from, a pause is this many times as long as the step. */
  private static final int IDLE_PAUSE_FACTOR = 3;

  private final long segmentBytes;
  private final LongSupplier nanoClock;
  private final long maxPauseNanos;

  /** How far the active segment is written. */
  private volatile long offset;
  /** The bytes the log has written since the pacer was made, across segments. */
  private volatile long written;
  /** When {@link #written} last moved. */
  private volatile long writtenAt;
  /** The start of the window the rate is measured over: the bytes written then, and when. */
  private volatile long windowWritten;
  private volatile long windowAt;
  /** The start of the next window, taken once the current one is a full span old. */
  private volatile long nextWindowWritten;
  private volatile long nextWindowAt;

  /** A pacer on the system's clock, its pauses at most {@link #MAX_PAUSE_NANOS}. */
  ZeroPacer(long segmentBytes) {
    this(segmentBytes, System::nanoTime, MAX_PAUSE_NANOS);
  }

  ZeroPacer(long segmentBytes, LongSupplier nanoClock, long maxPauseNanos) {
    this.segmentBytes = segmentBytes;
    this.nanoClock = nanoClock;
    this.maxPauseNanos = maxPauseNanos;
    long now = nanoClock.getAsLong();
    this.writtenAt = now;
    this.windowAt = now;
    this.nextWindowAt = now;
  }

  /** Notes that the active segment is written to {@code segmentOffset}. */
  void written(long segmentOffset) {
    long now = nanoClock.getAsLong();
    long total = written + Math.max(0, segmentOffset - offset);
    offset = segmentOffset;
    written = total;
    writtenAt = now;
    if (now - nextWindowAt >= RATE_WINDOW_NANOS) { // the rate spans one to two windows
      windowWritten = nextWindowWritten;
      windowAt = nextWindowAt;
      nextWindowWritten = total;
      nextWindowAt = now;
    }
  }

  /** Notes that a new segment became active. */
  void rotated() {
    offset = 0;
  }

  /**
   * Returns how long to pause after a step of the zeros.
   *
   * @param stepBytes the bytes of the step just written and flushed
   * @param stepNanos how long it took
   * @param bytesLeft the zeros still to write
   * @return the pause in nanoseconds, 0 if the spare is needed as soon as possible
   */
  long pauseNanos(long stepBytes, long stepNanos, long bytesLeft) {
    if (bytesLeft <= 0) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    long spanNanos = writtenAt - windowAt;
    long spanBytes = written - windowWritten;
    if (now - writtenAt > RATE_WINDOW_NANOS || spanNanos <= 0 || spanBytes <= 0) {
      return Math.min(maxPauseNanos, IDLE_PAUSE_FACTOR * stepNanos);
    }
    double bytesPerNano = (double) spanBytes / spanNanos;
    // Done when the active segment is three quarters full: a mark that stays put as the steps go
    // on (half the time left would recede with every step), with a quarter of a segment to spare.
    double untilDone = (segmentBytes * READY_AT - offset) / bytesPerNano - (now - writtenAt);
    double stepsLeft = Math.ceil((double) bytesLeft / stepBytes);
    double slack = untilDone - stepsLeft * stepNanos;
    if (slack <= 0) {
      return 0;
    }
    return (long) Math.min(maxPauseNanos, slack / stepsLeft);
  }
}
