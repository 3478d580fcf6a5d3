package dev.wal.engine;

import java.nio.ByteBuffer;

/**
 * One write's worth of records: a buffer filled by appenders, then sealed with a trailer and
 * handed to storage in one call at {@link #fileOffset}. The log keeps two pooled batches (one
 * filling while the other is written); a record larger than a pooled buffer gets a batch of its
 * own, used once.
 *
 * <p>Instances are <b>not</b> thread-safe: every field is guarded by {@link CommitState#lock},
 * except while the batch is being written, when only the holder of the write role touches it.
 */
final class Batch {
  final ByteBuffer buffer;
  final int capacity;
  final boolean pooled;

  /** Bytes used, from index 0. */
  int fill;

  /** The LSN of the first record, or 0 while empty. */
  long firstLsn;

  /** The LSN of the last record, or 0 while empty. */
  long lastLsn;

  /** Where in its segment the batch is written; a multiple of the block size. */
  long fileOffset;

  /** The segment this batch opens, or null if it goes to the current segment. */
  NewSegment startsSegment;

  /**
   * A segment that a batch opens: its header, and the index that appends fill for it.
   *
   * @param header the new segment's header
   * @param index its index, published to readers once the segment exists
   */
  record NewSegment(SegmentHeader header, SegmentIndex index) {}

  Batch(int capacity, boolean pooled) {
    this.buffer = Buffers.allocateAligned(capacity);
    this.capacity = capacity;
    this.pooled = pooled;
  }

  void reset(long fileOffset, NewSegment startsSegment) {
    buffer.clear(); // the write left its limit at the old fill
    this.fill = 0;
    this.firstLsn = 0;
    this.lastLsn = 0;
    this.fileOffset = fileOffset;
    this.startsSegment = startsSegment;
  }

  boolean isEmpty() {
    return lastLsn == 0;
  }
}
