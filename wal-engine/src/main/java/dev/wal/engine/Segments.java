package dev.wal.engine;

import java.util.Arrays;

/**
 * The first LSNs of the log's segments, oldest first, published for lock-free reading: readers
 * look up segments here while the writer rotates and truncation drops them. Copy-on-write:
 * mutators are synchronized on this object and replace the array.
 *
 * <p>Instances are thread-safe.
 */
final class Segments {
  private volatile long[] firstLsns;
  private volatile long cutGeneration;

  Segments(long[] firstLsns) {
    this.firstLsns = firstLsns.clone();
  }

  /** {@return the first LSNs, oldest first; do not modify} */
  long[] snapshot() {
    return firstLsns;
  }

  /** {@return the first LSN of the oldest segment, or -1 if there is none} */
  long oldestFirstLsn() {
    long[] lsns = firstLsns;
    return lsns.length == 0 ? -1 : lsns[0];
  }

  /** {@return how many times {@link #cutAfter} has run; readers opened before a cut stop} */
  long cutGeneration() {
    return cutGeneration;
  }

  synchronized void add(long firstLsn) {
    long[] lsns = firstLsns;
    if (lsns.length > 0 && lsns[lsns.length - 1] >= firstLsn) {
      throw new IllegalStateException(
          "segment " + firstLsn + " after segment " + lsns[lsns.length - 1]);
    }
    long[] grown = Arrays.copyOf(lsns, lsns.length + 1);
    grown[lsns.length] = firstLsn;
    firstLsns = grown;
  }

  synchronized void removeOldest() {
    long[] lsns = firstLsns;
    firstLsns = Arrays.copyOfRange(lsns, 1, lsns.length);
  }

  /** Keeps the segments up to and including the one starting at {@code lastKeptFirstLsn}. */
  synchronized void cutAfter(long lastKeptFirstLsn) {
    long[] lsns = firstLsns;
    int keep = 0;
    while (keep < lsns.length && lsns[keep] <= lastKeptFirstLsn) {
      keep++;
    }
    cutGeneration++;
    firstLsns = Arrays.copyOf(lsns, keep);
  }

  /**
   * {@return the first LSN of the segment that holds {@code lsn} (the newest starting at or before
   * it), or -1 if every segment starts after it}
   */
  static long segmentFor(long[] firstLsns, long lsn) {
    int index = Arrays.binarySearch(firstLsns, lsn);
    if (index >= 0) {
      return firstLsns[index];
    }
    int before = -index - 2;
    return before < 0 ? -1 : firstLsns[before];
  }
}
