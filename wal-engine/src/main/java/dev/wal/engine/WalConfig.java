package dev.wal.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WriteAheadLog} lays out and flushes its segments. Immutable; build one with {@link
 * #builder()}, or take {@link #defaults()}.
 *
 * <p>Every value is checked when the configuration is built, with a message naming the setting
 * and the value. Sizes are in bytes. The log also checks, when it opens, that the sizes are
 * multiples of its storage's sector size (they are multiples of 4096, the largest sector size it
 * supports).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WalConfig {
  /** The default segment size: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** The default size of each of the two append buffers: 1 MiB. */
  public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

  /** The default maximum payload size: 8 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 8 << 20;

  /** The default longest time a record waits in a buffer before a background flush: 2 ms. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(2);

  /**
   * The default longest time a thread waiting for durability spins, yielding its core, before it
   * parks: 1 ms, about a flush's time on a solid-state disk (see {@link Builder#waitSpin}).
   */
  public static final Duration DEFAULT_WAIT_SPIN = Duration.ofMillis(1);

  /** The largest segment: 1 GiB. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  /** The largest append buffer: 256 MiB. */
  public static final int MAX_BUFFER_BYTES = 256 << 20;

  private static final int UNIT = WalFormat.MAX_BLOCK_BYTES;

  /**
   * The largest payload any configuration accepts: one record of it fills the largest segment.
   * A length field over it is corruption, whatever the file's size.
   */
  static final long LARGEST_RECORD_BYTES =
      MAX_SEGMENT_BYTES - UNIT - 2L * WalFormat.RECORD_HEADER_BYTES;
  private static final Duration MAX_FLUSH_INTERVAL = Duration.ofMinutes(1);
  private static final Duration MAX_WAIT_SPIN = Duration.ofSeconds(1);

  private final long segmentBytes;
  private final int bufferBytes;
  private final int maxRecordBytes;
  private final Duration flushInterval;
  private final boolean preallocate;
  private final boolean recycleSegments;
  private final Duration waitSpin;

  private WalConfig(Builder builder) {
    this.segmentBytes = builder.segmentBytes;
    this.bufferBytes = builder.bufferBytes;
    this.maxRecordBytes = builder.maxRecordBytes;
    this.flushInterval = builder.flushInterval;
    this.preallocate = builder.preallocate;
    this.recycleSegments = builder.recycleSegments;
    this.waitSpin = builder.waitSpin;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the default configuration} */
  public static WalConfig defaults() {
    return builder().build();
  }

  /** {@return the size of a segment file, which is preallocated to it} */
  public long segmentBytes() {
    return segmentBytes;
  }

  /** {@return the size of each append buffer; a write hands at most this much to storage} */
  public int bufferBytes() {
    return bufferBytes;
  }

  /** {@return the largest payload an append accepts} */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** {@return the longest time an appended record waits before a background flush} */
  public Duration flushInterval() {
    return flushInterval;
  }

  /** {@return whether new segments are filled with zeros to their full size before use} */
  public boolean preallocate() {
    return preallocate;
  }

  /**
   * {@return whether a segment that {@code truncateBefore} drops becomes the next segment's file
   * instead of being deleted (only when segments are preallocated)}
   */
  public boolean recycleSegments() {
    return recycleSegments;
  }

  /**
   * {@return the longest time a thread waiting for durability spins before it parks; zero if it
   * parks at once}
   */
  public Duration waitSpin() {
    return waitSpin;
  }

  @Override
  public String toString() {
    return "WalConfig{segmentBytes="
        + segmentBytes
        + ", bufferBytes="
        + bufferBytes
        + ", maxRecordBytes="
        + maxRecordBytes
        + ", flushInterval="
        + flushInterval
        + ", preallocate="
        + preallocate
        + ", recycleSegments="
        + recycleSegments
        + ", waitSpin="
        + waitSpin
        + "}";
  }

  /** Builds a {@link WalConfig}. Not thread-safe. */
  public static final class Builder {
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private int bufferBytes = DEFAULT_BUFFER_BYTES;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private boolean preallocate = true;
    private boolean recycleSegments = true;
    private Duration waitSpin = DEFAULT_WAIT_SPIN;

    private Builder() {}

    /**
     * Sets the segment size: a multiple of 4096, at least 8192 (a header block and one record
     * block), at most {@link #MAX_SEGMENT_BYTES}.
     *
     * @param bytes the size
     * @return this builder
     */
    public Builder segmentBytes(long bytes) {
      this.segmentBytes = bytes;
      return this;
    }

    /**
     * Sets the size of each of the two append buffers: a multiple of 4096, at most {@link
     * #MAX_BUFFER_BYTES} and at most the segment size less 4096.
     *
     * @param bytes the size
     * @return this builder
     */
    public Builder bufferBytes(int bytes) {
      this.bufferBytes = bytes;
      return this;
    }

    /**
     * Sets the largest payload an append accepts: not negative, and small enough that one record
     * of it, with its header and a trailer, fits in a segment after the segment's header.
     *
     * @param bytes the size
     * @return this builder
     */
    public Builder maxRecordBytes(int bytes) {
      this.maxRecordBytes = bytes;
      return this;
    }

    /**
     * Sets the longest time an appended record waits before the background flusher makes it
     * durable: positive, at most a minute.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = Objects.requireNonNull(interval, "flushInterval");
      return this;
    }

    /**
     * Sets whether new segments are filled with zeros to their full size in the background before
     * use (the default), so that a flush never commits a change of file size.
     *
     * @param preallocate whether to preallocate
     * @return this builder
     */
    public Builder preallocate(boolean preallocate) {
      this.preallocate = preallocate;
      return this;
    }

    /**
     * Sets whether a segment that {@code truncateBefore} drops is kept (one at a time) to become
     * the next segment's file, as RocksDB's {@code recycle_log_file_num} does (the default), rather
     * than deleted. The next segment then costs no zero-filling: with preallocation, a log that is
     * truncated behind its appends writes each byte to the disk once instead of twice (once as
     * zeros). The dropped records stay in the file until overwritten, under a checksum seed that
     * the new segment's records never match. Has no effect without {@link #preallocate}.
     *
     * @param recycle whether to recycle segments
     * @return this builder
     */
    public Builder recycleSegments(boolean recycle) {
      this.recycleSegments = recycle;
      return this;
    }

    /**
     * Sets the longest time a thread waiting for its record to become durable spins, yielding its
     * core to any other runnable thread, before it parks: zero or positive, at most a second.
     * Zero parks at once.
     *
     * <p>A thread woken while it spins returns at once, and waking it costs next to nothing; a
     * parked thread costs its waker a system call and a context switch, and with many appenders
     * those wake-ups limit the log. With the default of 1 ms, wal-bench measured 1.45 and 1.57
     * times its ideal group commit at 16 and 64 threads with 128-byte records, against 0.95 and
     * 0.91 when parking at once (2 cores, ext4). The price is CPU time: a waiting thread runs
     * while it spins, on a core no other thread wants. Waiters stop spinning while most spins
     * end unwoken (a disk slower than the spin), and try again now and then; and they spin only
     * while flushes take a disk's time, not behind flushes of microseconds (memory, the page
     * cache).
     *
     * @param spin the longest spin
     * @return this builder
     */
    public Builder waitSpin(Duration spin) {
      this.waitSpin = Objects.requireNonNull(spin, "waitSpin");
      return this;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the first setting whose value is out of range
     */
    public WalConfig build() {
      check(
          segmentBytes >= 2 * UNIT && segmentBytes <= MAX_SEGMENT_BYTES && segmentBytes % UNIT == 0,
          "segmentBytes",
          segmentBytes,
          "must be a multiple of 4096 in [8192, " + MAX_SEGMENT_BYTES + "]");
      check(
          bufferBytes >= UNIT && bufferBytes <= MAX_BUFFER_BYTES && bufferBytes % UNIT == 0,
          "bufferBytes",
          bufferBytes,
          "must be a multiple of 4096 in [4096, " + MAX_BUFFER_BYTES + "]");
      check(
          bufferBytes <= segmentBytes - UNIT,
          "bufferBytes",
          bufferBytes,
          "must be at most segmentBytes (" + segmentBytes + ") less 4096 for the segment header");
      // The header block (at most 4096), then one batch: the record and a trailer's header.
      long largestFitting = segmentBytes - UNIT - 2L * WalFormat.RECORD_HEADER_BYTES;
      check(
          maxRecordBytes >= 0 && maxRecordBytes <= largestFitting,
          "maxRecordBytes",
          maxRecordBytes,
          "must be in [0, "
              + largestFitting
              + "] so that one record with its header and trailer fits in a segment of "
              + segmentBytes
              + " bytes");
      check(
          !flushInterval.isNegative()
              && !flushInterval.isZero()
              && flushInterval.compareTo(MAX_FLUSH_INTERVAL) <= 0,
          "flushInterval",
          flushInterval,
          "must be positive and at most " + MAX_FLUSH_INTERVAL);
      check(
          !waitSpin.isNegative() && waitSpin.compareTo(MAX_WAIT_SPIN) <= 0,
          "waitSpin",
          waitSpin,
          "must be zero or positive and at most " + MAX_WAIT_SPIN);
      return new WalConfig(this);
    }

    private static void check(boolean ok, String setting, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException(setting + " (" + value + ") " + rule);
      }
    }
  }
}
