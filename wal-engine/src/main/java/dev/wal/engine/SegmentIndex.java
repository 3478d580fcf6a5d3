package dev.wal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A sparse index of one segment: the LSN and file offset of one record in every {@link
 * #STRIDE_BYTES} of the segment (the first record that starts at least that far after the last
 * indexed one). A point read finds the indexed record at or before its LSN and reads forward from
 * there, so it reads at most about a stride of records, never the segment from its start.
 *
 * <p>Small: two longs per stride, about 16 KiB of heap per 16 MiB of log. Not durable: recovery
 * rebuilds it while it checks each segment, and {@code truncateAfter} builds the kept segment's
 * anew while it finds the cut. So a crash can never leave it inconsistent with the files.
 *
 * <p>Thread safety: one writer at a time (the holder of the log's append lock, or recovery before
 * the log is shared) and any number of lock-free readers. The writer fills an entry, then
 * publishes the count with a release store; a reader loads the count with an acquire load and
 * reads only entries below it. The entries array is replaced only when it grows, after the old
 * entries were copied, so whichever array a reader sees holds every entry below the count it read.
 * Entries are never changed once published: a cut makes a new index ({@link #copyUpTo}).
 */
final class SegmentIndex {
  /** The distance between indexed records; a point read scans about this much. */
  static final int STRIDE_BYTES = 16 << 10;

  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(SegmentIndex.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long firstLsn;

  /** Entry {@code i} is the LSN at {@code 2i} and the file offset at {@code 2i + 1}. */
  private volatile long[] entries;

  /** Published with release, read with acquire; see the class documentation. */
  @SuppressWarnings("unused") // accessed through COUNT
  private int count;

  /** Writer-only: the offset of the last indexed record. */
  private long lastIndexedOffset = Long.MIN_VALUE / 2;

  /**
   * Makes an empty index for the segment starting at {@code firstLsn}.
   *
   * @param segmentBytes the segment's size, so that appending never grows the entries
   */
  SegmentIndex(long firstLsn, long segmentBytes) {
    this.firstLsn = firstLsn;
    this.entries = new long[2 * (int) Math.max(4, segmentBytes / STRIDE_BYTES + 1)];
  }

  /** {@return the LSN of the segment's first record} */
  long firstLsn() {
    return firstLsn;
  }

  /**
   * Notes that record {@code lsn} starts at {@code offset}; indexes it if it is a stride past the
   * last indexed record. Records must come in LSN order. Allocates nothing unless the segment
   * outgrows the size given to the constructor.
   */
  void onRecord(long lsn, long offset) {
    if (offset - lastIndexedOffset < STRIDE_BYTES) {
      return;
    }
    int n = (int) COUNT.getOpaque(this);
    long[] current = entries;
    if (2 * n + 2 > current.length) {
      current = Arrays.copyOf(current, current.length * 2);
      entries = current;
    }
    current[2 * n] = lsn;
    current[2 * n + 1] = offset;
    lastIndexedOffset = offset;
    COUNT.setRelease(this, n + 1);
  }

  /**
   * Finds where to start reading for record {@code lsn}.
   *
   * @return the indexed record with the greatest LSN at or below {@code lsn} as {@code {lsn,
   *     offset}}, or null if none is (read from the segment's first batch then)
   */
  long[] floor(long lsn) {
    int n = (int) COUNT.getAcquire(this);
    long[] current = entries;
    int low = 0;
    int high = n - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (current[2 * mid] <= lsn) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found < 0 ? null : new long[] {current[2 * found], current[2 * found + 1]};
  }

  /** {@return a new index holding this one's entries for LSNs up to {@code lastLsn}} */
  SegmentIndex copyUpTo(long lastLsn, long segmentBytes) {
    SegmentIndex copy = new SegmentIndex(firstLsn, segmentBytes);
    int n = (int) COUNT.getAcquire(this);
    long[] current = entries;
    for (int i = 0; i < n && current[2 * i] <= lastLsn; i++) {
      copy.onRecord(current[2 * i], current[2 * i + 1]);
    }
    return copy;
  }

  /** {@return how many records are indexed} */
  int size() {
    return (int) COUNT.getAcquire(this);
  }
}
