package dev.wal.engine;

/**
 * How long a durability waiter spins, yielding its core, before it parks; and whether spinning has
 * been paying off lately.
 *
 * <p>A waiter woken while it spins returns at once, and its waker's unpark costs next to nothing.
 * A parked waiter costs a futex wake and a context switch to wake, on a virtual machine an exit to
 * the host; with 16 or 64 appenders on 2 cores those wake-ups, not the disk, set the log's rate.
 * Spinning for up to 1 ms before parking took the log, against wal-bench's ideal group commit
 * (whose appenders park), from 0.95 to 1.45 times at 16 threads and from 0.91 to 1.57 times at 64
 * with 128-byte records, and from 0.70 to 1.04 times with 4 KiB records at 64 threads (medians of
 * three rounds, on 2 cores and an ext4 disk). Spins of 300 and 500 µs gained less at 4 KiB, whose
 * flushes take longer.
 *
 * <p>Only waiters behind the background flusher spin: it leads the flushes once they take a
 * disk's time ({@link IoRoles#flusherLeads}). While appenders lead their own flushes of a few
 * microseconds (memory, the page cache), a spinning waiter would take the core from the leader it
 * waits for: spinning there cut the log on the memory backend from about a million records a
 * second to a third of that at 4 threads.
 *
 * <p>Spinning only pays when the flush comes within the spin. When waits are longer (a slow disk,
 * few appenders behind a long flush), each spin would burn its whole budget and park anyway. So
 * the spin is adaptive, as RocksDB's write thread makes its yielding adaptive: an average of
 * recent spins' outcomes is kept, and while fewer than half of them ended with the waiter woken,
 * waiters park at once, except every 16th, which spins to find out whether spinning pays again.
 *
 * <p>Thread safety: shared by a log's waiters. The average is updated without a lock, so
 * concurrent updates may be lost; it is a heuristic, and a lost update only delays its adapting.
 */
final class SpinWait {
  /** Fixed-point 1.0 of the success average. */
  private static final int ONE = 1 << 10;

  /** How many waiters out of this many probe while spinning does not pay. */
  private static final int PROBE_EVERY = 16;

  private final long nanos;

  /** The recent share of spins that ended woken, in units of 1 / {@link #ONE}. */
  private volatile int successRate = ONE;

  /** Counts the waiters that parked at once, to pick the probes. */
  private volatile int parkedAtOnce;

  /**
   * Creates the policy.
   *
   * @param nanos the longest spin, in nanoseconds; 0 to park at once
   */
  SpinWait(long nanos) {
    this.nanos = nanos;
  }

  /**
   * Spins, yielding, until {@code woken} holds or the spin's time is up, if spinning pays.
   *
   * @param node the waiting node, read for whether it was woken
   * @return whether it spun (false: it was woken already, or spinning does not pay now)
   */
  boolean spin(Waiters.Node node) {
    if (nanos <= 0 || node.isWoken() || !worthSpinning()) {
      return false;
    }
    long deadline = System.nanoTime() + nanos;
    while (!node.isWoken() && System.nanoTime() - deadline < 0) {
      Thread.yield();
    }
    record(node.isWoken());
    return true;
  }

  private boolean worthSpinning() {
    if (successRate >= ONE / 2) {
      return true;
    }
    int parked = parkedAtOnce + 1;
    parkedAtOnce = parked;
    return parked % PROBE_EVERY == 0;
  }

  private void record(boolean woken) {
    int rate = successRate;
    successRate = rate + (((woken ? ONE : 0) - rate) >> 4);
  }

  /** {@return whether waiters spin now, for tests} */
  boolean spinning() {
    return nanos > 0 && successRate >= ONE / 2;
  }
}
