package dev.wal.bench;

import com.google.common.base.Preconditions;

/**
 * How long the durable workload runs in each cell.
 *
 * @param warmupNanos the time before measuring, for the JIT compiler and the disk to settle
 * @param measureNanos the measured time
 */
record Timing(long warmupNanos, long measureNanos) {
  /**
   * Checks the times.
   *
   * @param warmupNanos not negative
   * @param measureNanos positive
   */
  Timing {
    Preconditions.checkArgument(warmupNanos >= 0, "warmupNanos (%s) is negative", warmupNanos);
    Preconditions.checkArgument(measureNanos > 0, "measureNanos (%s) must be positive", measureNanos);
  }
}
