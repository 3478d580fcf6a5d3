package dev.wal.engine;

import java.util.Arrays;

/**
 * The log's segments, oldest first, each with its {@link SegmentIndex}, and the logical first LSN,
 * published for lock-free reading: readers look up segments here while the writer rotates and
 * truncation drops them. Copy-on-write: mutators are synchronized on this object and replace the
 * arrays.
 *
 * <p>Instances are thread-safe.
 */
final class Segments {
  /** The first LSNs and indexes, replaced together. */
  private record View(long[] firstLsns, SegmentIndex[] indexes) {}

  private volatile View view;
  private volatile long cutGeneration;
  private volatile long logicalFirstLsn;

  Segments(SegmentIndex[] indexes, long logicalFirstLsn) {
    this.view = viewOf(indexes.clone());
    this.logicalFirstLsn = logicalFirstLsn;
  }

  private static View viewOf(SegmentIndex[] indexes) {
    long[] firstLsns = new long[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      firstLsns[i] = indexes[i].firstLsn();
    }
    return new View(firstLsns, indexes);
  }

  /** {@return the first LSNs, oldest first; do not modify} */
  long[] snapshot() {
    return view.firstLsns();
  }

  /** {@return the first LSN of the oldest segment, or -1 if there is none} */
  long oldestFirstLsn() {
    long[] lsns = view.firstLsns();
    return lsns.length == 0 ? -1 : lsns[0];
  }

  /**
   * {@return the logical first LSN: records below it are discarded, even where their segment still
   * exists (see {@link LogMeta})}
   */
  long logicalFirstLsn() {
    return logicalFirstLsn;
  }

  /**
   * {@return the log's first LSN: the logical one, or the oldest segment's first LSN if that is
   * higher} Lock-free.
   */
  long firstLsn() {
    return Math.max(logicalFirstLsn(), oldestFirstLsn());
  }

  void logicalFirstLsn(long lsn) {
    logicalFirstLsn = lsn;
  }

  /** {@return how many times a cut ({@link #cutAfter} or {@link #replaceAll}) has run} */
  long cutGeneration() {
    return cutGeneration;
  }

  /** {@return the index of the segment that holds {@code lsn}, or null if none can} */
  SegmentIndex indexFor(long lsn) {
    View current = view;
    int i = slotFor(current.firstLsns(), lsn);
    return i < 0 ? null : current.indexes()[i];
  }

  synchronized void add(SegmentIndex index) {
    View current = view;
    long[] lsns = current.firstLsns();
    if (lsns.length > 0 && lsns[lsns.length - 1] >= index.firstLsn()) {
      throw new IllegalStateException(
          "segment " + index.firstLsn() + " after segment " + lsns[lsns.length - 1]);
    }
    SegmentIndex[] grown = Arrays.copyOf(current.indexes(), lsns.length + 1);
    grown[lsns.length] = index;
    view = viewOf(grown);
  }

  synchronized void removeOldest() {
    SegmentIndex[] indexes = view.indexes();
    view = viewOf(Arrays.copyOfRange(indexes, 1, indexes.length));
  }

  /** Keeps the segments up to and including the one starting at {@code lastKeptFirstLsn}. */
  synchronized void cutAfter(long lastKeptFirstLsn) {
    SegmentIndex[] indexes = view.indexes();
    int keep = 0;
    while (keep < indexes.length && indexes[keep].firstLsn() <= lastKeptFirstLsn) {
      keep++;
    }
    cutGeneration++;
    view = viewOf(Arrays.copyOf(indexes, keep));
  }

  /** Replaces the index of the newest segment, which must start at the same LSN. */
  synchronized void replaceNewest(SegmentIndex index) {
    SegmentIndex[] indexes = view.indexes().clone();
    if (indexes.length == 0 || indexes[indexes.length - 1].firstLsn() != index.firstLsn()) {
      throw new IllegalStateException("no newest segment starting at " + index.firstLsn());
    }
    indexes[indexes.length - 1] = index;
    view = viewOf(indexes);
  }

  /** Replaces every segment (after a reset), counting as a cut. */
  synchronized void replaceAll(SegmentIndex[] indexes, long logicalFirst) {
    cutGeneration++;
    view = viewOf(indexes.clone());
    logicalFirstLsn = logicalFirst;
  }

  /**
   * {@return the first LSN of the segment that holds {@code lsn} (the newest starting at or before
   * it), or -1 if every segment starts after it}
   */
  static long segmentFor(long[] firstLsns, long lsn) {
    int slot = slotFor(firstLsns, lsn);
    return slot < 0 ? -1 : firstLsns[slot];
  }

  private static int slotFor(long[] firstLsns, long lsn) {
    int index = Arrays.binarySearch(firstLsns, lsn);
    return index >= 0 ? index : -index - 2;
  }
}
