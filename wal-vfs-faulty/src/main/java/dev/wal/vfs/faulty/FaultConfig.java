package dev.wal.vfs.faulty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FaultyVfs} injects: error rules, the fate of data after a failed flush, a space
 * quota and silent faults, all driven by one seed. Immutable; build one with {@link #builder()}.
 * {@link #none()} injects nothing, and a {@code FaultyVfs} with it behaves as the storage under
 * it, only tracking what a crash would keep.
 */
public final class FaultConfig {
  final long seed;
  final int sectorSize;
  final FlushFailureMode flushFailureMode;
  final long quotaBytes;
  final boolean partialWrites;
  final List<FaultRule> rules;
  final double bitFlipOnReadProbability;
  final double latentSectorProbability;
  final boolean latentSectorReadsThrow;
  final double misdirectProbability;
  final int traceCapacity;

  private FaultConfig(Builder b) {
    this.seed = b.seed;
    this.sectorSize = b.sectorSize;
    this.flushFailureMode = b.flushFailureMode;
    this.quotaBytes = b.quotaBytes;
    this.partialWrites = b.partialWrites;
    this.rules = List.copyOf(b.rules);
    this.bitFlipOnReadProbability = b.bitFlipOnReadProbability;
    this.latentSectorProbability = b.latentSectorProbability;
    this.latentSectorReadsThrow = b.latentSectorReadsThrow;
    this.misdirectProbability = b.misdirectProbability;
    this.traceCapacity = b.traceCapacity;
  }

  /** {@return a configuration that injects nothing, with seed 0} */
  public static FaultConfig none() {
    return builder().build();
  }

  /** {@return a builder with nothing injected, seed 0 and a 10,000-event trace} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this configuration's values} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.sectorSize = sectorSize;
    b.flushFailureMode = flushFailureMode;
    b.quotaBytes = quotaBytes;
    b.partialWrites = partialWrites;
    b.rules.addAll(rules);
    b.bitFlipOnReadProbability = bitFlipOnReadProbability;
    b.latentSectorProbability = latentSectorProbability;
    b.latentSectorReadsThrow = latentSectorReadsThrow;
    b.misdirectProbability = misdirectProbability;
    b.traceCapacity = traceCapacity;
    return b;
  }

  /** {@return the seed every random choice derives from} */
  public long seed() {
    return seed;
  }

  /** {@return the error rules, in the order they are checked} */
  public List<FaultRule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return "FaultConfig{seed=" + seed + ", sectorSize=" + sectorSize + ", flush=" + flushFailureMode
        + ", quota=" + (quotaBytes == Long.MAX_VALUE ? "none" : quotaBytes)
        + (partialWrites ? " partial" : " all-or-nothing") + ", rules=" + rules
        + ", bitFlipOnRead=" + bitFlipOnReadProbability + ", latentSector="
        + latentSectorProbability + (latentSectorReadsThrow ? " throw" : " garbage")
        + ", misdirect=" + misdirectProbability + ", trace=" + traceCapacity + "}";
  }

  /** Builds a {@link FaultConfig}. Not thread-safe. */
  public static final class Builder {
    private long seed;
    private int sectorSize;
    private FlushFailureMode flushFailureMode = FlushFailureMode.LINUX;
    private long quotaBytes = Long.MAX_VALUE;
    private boolean partialWrites = true;
    private final List<FaultRule> rules = new ArrayList<>();
    private double bitFlipOnReadProbability;
    private double latentSectorProbability;
    private boolean latentSectorReadsThrow = true;
    private double misdirectProbability;
    private int traceCapacity = 10_000;

    private Builder() {}

    /**
     * Sets the seed: the same seed and the same sequence of operations give the same faults.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the unit at which crash images tear writes and latent errors strike, overriding the
     * inner storage's {@link dev.wal.vfs.VfsCapabilities#sectorSize()}.
     *
     * @param bytes a positive power of two, or 0 for the inner storage's
     * @return this builder
     */
    public Builder sectorSize(int bytes) {
      if (bytes < 0 || (bytes > 0 && Integer.bitCount(bytes) != 1)) {
        throw new IllegalArgumentException(
            "sectorSize (" + bytes + ") must be 0 or a positive power of two");
      }
      this.sectorSize = bytes;
      return this;
    }

    /**
     * Sets what an injected flush failure does to dirty data; {@link FlushFailureMode#LINUX} by
     * default.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder flushFailureMode(FlushFailureMode mode) {
      this.flushFailureMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Fails writes with {@link InjectedOutOfSpaceException} once the files' sizes would add up to
     * more than {@code bytes}. Overwriting in place never fails.
     *
     * @param bytes the quota, not negative
     * @param partialWrites whether a write that does not fit writes what fits before throwing
     *     (as Linux does) or writes nothing (as jimfs does)
     * @return this builder
     */
    public Builder quota(long bytes, boolean partialWrites) {
      if (bytes < 0) {
        throw new IllegalArgumentException("quota (" + bytes + ") must not be negative");
      }
      this.quotaBytes = bytes;
      this.partialWrites = partialWrites;
      return this;
    }

    /**
     * Adds an error rule; rules are checked in the order added, and the first that fires wins.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(FaultRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Flips one bit of what a read returns, with this probability per read. The stored data is
     * untouched: the next read of the same bytes is right again (unless it flips too).
     *
     * @param p a probability in [0, 1]
     * @return this builder
     */
    public Builder bitFlipOnRead(double p) {
      this.bitFlipOnReadProbability = checkProbability("bitFlipOnRead", p);
      return this;
    }

    /**
     * With this probability per write, one sector it wrote goes bad: reads that touch it throw
     * (or return garbage) until a write covers the whole sector again, also in crash images.
     *
     * @param p a probability in [0, 1]
     * @param readsThrow whether reads of a bad sector throw {@link InjectedIOException}, or
     *     return garbage for its bytes
     * @return this builder
     */
    public Builder latentSectorErrors(double p, boolean readsThrow) {
      this.latentSectorProbability = checkProbability("latentSectorErrors", p);
      this.latentSectorReadsThrow = readsThrow;
      return this;
    }

    /**
     * With this probability per write, the write lands at another sector-aligned offset of the
     * same file: reads show the old bytes where it should have gone and its bytes where it went.
     *
     * @param p a probability in [0, 1]
     * @return this builder
     */
    public Builder misdirectedWrites(double p) {
      this.misdirectProbability = checkProbability("misdirectedWrites", p);
      return this;
    }

    /**
     * Sets how many of the latest trace events are kept.
     *
     * @param events at least 1
     * @return this builder
     */
    public Builder traceCapacity(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("traceCapacity (" + events + ") must be at least 1");
      }
      this.traceCapacity = events;
      return this;
    }

    /** {@return the configuration} */
    public FaultConfig build() {
      return new FaultConfig(this);
    }

    private static double checkProbability(String what, double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(what + " probability (" + p + ") must be in [0, 1]");
      }
      return p;
    }
  }
}
