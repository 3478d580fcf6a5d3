package dev.wal.engine;

import dev.wal.CorruptLogException;
import java.io.IOException;

/**
 * Reads one segment forward from its first batch, record by record, and stops at the first
 * position that does not hold the next intact record: the end of the segment's log, or damage.
 * Used by recovery (for every segment) and by {@code truncateAfter} (to find where a record ends).
 *
 * <p>What counts as the next intact record: a record whose length is possible and whose checksum
 * matches, carrying the next LSN; or a trailer (LSN 0) that ends a batch with at least one record
 * at a block boundary.
 *
 * <p>Instances are <b>not</b> thread-safe.
 */
final class SegmentCheck {
  private final SegmentScanner scanner;
  private final long maxRecordBytes;

  /** The offset where the check stopped (or, during the check, the next record's offset). */
  long position;

  /** The LSN the next record must carry. */
  long expectedLsn;

  /** Whether {@link #position} starts a batch: the previous item was a trailer, or none. */
  boolean atBatchStart = true;

  /** The durable LSN field of the last intact data record, or firstLsn - 1. */
  long lastDurableLsn;

  /** Why the check stopped: a {@link RecordDecoder} status, or {@link #UNEXPECTED}. */
  int stopStatus;

  /** What stopped the check, for messages. */
  String stopReason;

  /** An intact record that is not the expected next one. */
  static final int UNEXPECTED = 10;

  /** Where the atomic group holding the last intact record starts, and its first LSN. */
  private long groupPosition;

  private long groupFirstLsn;
  private boolean groupAtBatchStart = true;

  /** Whether the last intact data record has the CONTINUED bit: its group goes on after it. */
  private boolean lastContinued;

  private long lastRecordPosition = -1;

  /** Learns where records start, or null. */
  private SegmentIndex index;

  /** Learns each intact data record's LSN and tag, or null. */
  private RecoveryListener listener;

  SegmentCheck(SegmentScanner scanner, long maxRecordBytes) {
    this.scanner = scanner;
    this.maxRecordBytes = maxRecordBytes;
    this.position = scanner.dataOffset();
    this.expectedLsn = scanner.header().firstLsn();
    this.lastDurableLsn = expectedLsn - 1;
  }

  /** Makes the check tell {@code index} where every intact data record starts. */
  SegmentCheck indexInto(SegmentIndex index) {
    this.index = index;
    return this;
  }

  /** Makes the check tell {@code listener} (if not null) every intact data record's tag. */
  SegmentCheck listenInto(RecoveryListener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * Starts the check at an intact data record other than the segment's first (one a {@link
   * SegmentIndex} gave), instead of at the first batch.
   */
  SegmentCheck startAt(long recordOffset, long lsn) {
    this.position = recordOffset;
    this.expectedLsn = lsn;
    this.atBatchStart = false;
    this.lastDurableLsn = lsn - 1;
    return this;
  }

  SegmentScanner scanner() {
    return scanner;
  }

  /** {@return the LSN of the last intact record, or firstLsn - 1 if there is none} */
  long lastLsn() {
    return expectedLsn - 1;
  }

  /**
   * Reads forward until the next item is not the next intact record, or until record {@code
   * stopAfterLsn} has been read.
   */
  void run(long stopAfterLsn) throws IOException {
    int blockBytes = scanner.header().blockBytes();
    RecordDecoder decoder = scanner.decoder();
    while (expectedLsn <= stopAfterLsn) {
      int status = scanner.decodeAt(position, maxRecordBytes);
      if (status != RecordDecoder.VALID) {
        stop(status, describeStop(status));
        return;
      }
      long end = position + decoder.recordBytes();
      if (decoder.isTrailer()) {
        if (atBatchStart || end % blockBytes != 0 || lastContinued) {
          String why =
              atBatchStart
                  ? "ending no records"
                  : lastContinued ? "inside an atomic group" : "off a block boundary";
          stop(UNEXPECTED, "a trailer " + why);
          return;
        }
        atBatchStart = true;
      } else {
        if (decoder.lsn != expectedLsn) {
          stop(
              UNEXPECTED,
              "a record with LSN " + decoder.lsn + " where LSN " + expectedLsn + " was expected");
          return;
        }
        onDataRecord(decoder);
      }
      position = end;
    }
  }

  private void onDataRecord(RecordDecoder decoder) {
    if (!lastContinued) {
      groupPosition = position;
      groupFirstLsn = expectedLsn;
      groupAtBatchStart = atBatchStart;
    }
    if (index != null) {
      index.onRecord(expectedLsn, position);
    }
    if (listener != null) {
      listener.onRecord(expectedLsn, decoder.tag);
    }
    lastContinued = decoder.continued;
    lastRecordPosition = position;
    expectedLsn++;
    lastDurableLsn = decoder.durableLsn;
    atBatchStart = false;
  }

  /** {@return whether the last intact record belongs to an atomic group that is not whole} */
  boolean endsInsideGroup() {
    return lastContinued;
  }

  /**
   * Moves where the check stopped back to the start of the atomic group that is not whole, so that
   * cutting there drops the group entirely. Call only when {@link #endsInsideGroup()}; the index
   * given to {@link #indexInto} must then be rebuilt, as it may name records of the group.
   */
  void backUpToGroupStart() {
    position = groupPosition;
    expectedLsn = groupFirstLsn;
    atBatchStart = groupAtBatchStart;
    lastContinued = false;
    stopStatus = RecordDecoder.DAMAGED;
    stopReason = "an atomic group that is not whole";
  }

  /** {@return the offset of the last intact data record's start, once one was read} */
  long lastRecordPosition() {
    return lastRecordPosition;
  }

  private static String describeStop(int status) {
    return switch (status) {
      case RecordDecoder.ZEROS -> "zeros";
      case RecordDecoder.STALE -> "a record of the segment this recycled file held before";
      default -> "a damaged record (checksum mismatch or impossible length; hardware problem?)";
    };
  }

  private void stop(int status, String reason) {
    stopStatus = status;
    stopReason = reason;
  }

  /**
   * {@return whether the check stopped right after a batch at zeros, or at a record the file held
   * before it was recycled: a clean end}
   */
  boolean endedCleanly() {
    return (stopStatus == RecordDecoder.ZEROS || stopStatus == RecordDecoder.STALE)
        && atBatchStart;
  }

  /** {@return a corruption report for where the check stopped} */
  CorruptLogException corruption(String detail) {
    String found =
        stopStatus == RecordDecoder.ZEROS ? "zeros where a trailer was expected" : stopReason;
    return new CorruptLogException(scanner.name(), position, found + ", " + detail);
  }
}
