package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The buffer pair and the encoding of records into it. An append gets the next LSN and encodes
 * its record straight into the filling {@link Batch} (payload, header, CRC32C), allocating
 * nothing. When a record does not fit, the batch is sealed: a trailer pads it to a block boundary
 * and it joins the queue of batches to write; the other pooled batch becomes the filling one. A
 * record or an atomic group larger than a pooled buffer gets a batch of its own.
 *
 * <p>Every LSN up to {@link #nextLsn} - 1 is in a sealed or filling batch, or written. The
 * records of an atomic group are always in one batch, so that a batch's last LSN, and so every
 * LSN that a write or a flush covers, ends a group.
 *
 * <p>Instances are <b>not</b> thread-safe: every field and method is guarded by {@link
 * CommitState#lock}.
 */
final class AppendBuffers {
  /** What {@link #reserve} returns when no pooled buffer is free. */
  static final int NO_BUFFER = -1;

  private final long segmentBytes;
  private final RecordEncoder encoder = new RecordEncoder();
  private final ArrayDeque<Batch> sealed = new ArrayDeque<>();
  private final ArrayDeque<Batch> free = new ArrayDeque<>();
  private Batch filling;
  private int blockBytes;
  private long nextLsn;
  private long nextBatchOffset;
  private Batch.NewSegment nextBatchStartsSegment;
  private long segmentCapacity;
  private SegmentIndex index;

  AppendBuffers(WalConfig config, GroupCommit.Tail tail) {
    this.segmentBytes = config.segmentBytes();
    for (int i = 0; i < 2; i++) {
      free.add(new Batch(config.bufferBytes(), true));
    }
    resetTail(tail);
  }

  /** Continues appending at {@code tail}, dropping an empty filling batch. */
  void resetTail(GroupCommit.Tail tail) {
    if (filling != null && filling.pooled) {
      free.add(filling);
    }
    filling = null;
    nextLsn = tail.nextLsn();
    encoder.salt(tail.salt());
    nextBatchOffset = tail.writeOffset();
    segmentCapacity = tail.capacity();
    blockBytes = tail.blockBytes();
    index = tail.index();
    nextBatchStartsSegment = null;
  }

  long nextLsn() {
    return nextLsn;
  }

  /** {@return the bytes a group of these payload sizes takes in a batch, with a trailer} */
  static long groupBytes(int[] sizes, int count) {
    long needed = RECORD_HEADER_BYTES;
    for (int i = 0; i < count; i++) {
      needed += Layout.recordBytes(sizes[i]);
    }
    return needed;
  }

  /**
   * Finds room for {@code needed} bytes (records and a trailer) in the filling batch, sealing it,
   * planning a new segment or making an oversized batch as needed.
   *
   * @return the index in the filling batch where the records go, or {@link #NO_BUFFER}
   */
  int reserve(long needed, long durableLsn) {
    while (true) {
      if (filling == null && !takeFree()) {
        return NO_BUFFER;
      }
      Batch batch = filling;
      long segmentRoom = segmentCapacity - batch.fileOffset;
      if (batch.fill + needed <= Math.min(batch.capacity, segmentRoom)) {
        return batch.fill;
      }
      if (!batch.isEmpty()) {
        seal(durableLsn);
      } else if (needed > segmentRoom) {
        planNewSegment(batch);
      } else {
        // Fits in the segment but not in a pooled buffer: a batch of its own, written whole.
        free.addFirst(batch);
        Batch oversized = new Batch((int) Layout.alignUp(needed, blockBytes), false);
        oversized.reset(batch.fileOffset, batch.startsSegment);
        filling = oversized;
      }
    }
  }

  private boolean takeFree() {
    Batch batch = free.poll();
    if (batch == null) {
      return false;
    }
    batch.reset(nextBatchOffset, nextBatchStartsSegment);
    nextBatchStartsSegment = null;
    filling = batch;
    return true;
  }

  private void planNewSegment(Batch empty) {
    if (empty.startsSegment != null) {
      throw new IllegalStateException("records do not fit in an empty segment: " + empty.fill);
    }
    long salt = ThreadLocalRandom.current().nextLong();
    SegmentHeader header = new SegmentHeader(nextLsn, salt, blockBytes);
    index = new SegmentIndex(nextLsn, segmentBytes);
    empty.startsSegment = new Batch.NewSegment(header, index);
    empty.fileOffset = Layout.dataOffset(blockBytes);
    segmentCapacity = segmentBytes;
    encoder.salt(salt);
  }

  /**
   * Encodes record {@code lsn} at {@code at} (from {@link #reserve}); the payload is exactly one
   * of {@code entry}, {@code array}, {@code buffer}. The record is part of the log only once
   * {@link #commit} ran.
   *
   * @return the index just past the record
   * @throws IllegalStateException if the entry wrote another number of bytes than its size
   */
  int encode(
      int at,
      long lsn,
      LogEntry entry,
      byte[] array,
      ByteBuffer buffer,
      int size,
      long tag,
      long durableLsn,
      boolean continued) {
    ByteBuffer target = filling.buffer;
    RecordEncoder.putHeader(target, at, size, lsn, tag, durableLsn);
    if (continued) {
      RecordEncoder.markContinued(target, at);
    }
    int payloadAt = at + RECORD_HEADER_BYTES;
    if (entry != null) {
      writeEntry(entry, target, payloadAt, size);
    } else if (array != null) {
      target.put(payloadAt, array);
    } else {
      target.put(payloadAt, buffer, buffer.position(), size);
    }
    return encoder.seal(target, at, size);
  }

  /**
   * Encodes {@code entries} as one atomic group at {@code at}: every record but the last has the
   * CONTINUED bit.
   *
   * @return the index just past the last record
   */
  int encodeGroup(
      int at, LogEntry[] entries, int count, int[] sizes, long[] tags, long durableLsn) {
    int position = at;
    for (int i = 0; i < count; i++) {
      boolean continued = i < count - 1;
      position =
          encode(position, nextLsn + i, entries[i], null, null, sizes[i], tags[i], durableLsn,
              continued);
    }
    return position;
  }

  /**
   * Makes the {@code count} records encoded from {@code at} up to {@code end}, of payload sizes
   * {@code sizes} (or {@code size} for one record), part of the log: they get LSNs {@link
   * #nextLsn} onward, and the index learns where they are.
   *
   * @return the LSN of the last one
   */
  long commit(int at, int end, int count, int size, int[] sizes, long durableLsn) {
    Batch batch = filling;
    long offset = batch.fileOffset + at;
    for (int i = 0; i < count; i++) {
      index.onRecord(nextLsn + i, offset);
      offset += Layout.recordBytes(sizes == null ? size : sizes[i]);
    }
    if (batch.firstLsn == 0) {
      batch.firstLsn = nextLsn;
    }
    nextLsn += count;
    batch.lastLsn = nextLsn - 1;
    batch.fill = end;
    if (!batch.pooled) {
      seal(durableLsn);
    }
    return nextLsn - 1;
  }

  private void writeEntry(LogEntry entry, ByteBuffer target, int payloadAt, int size) {
    int end = payloadAt + size;
    target.clear().position(payloadAt).limit(end);
    try {
      entry.writeTo(target);
      if (target.position() != end || target.limit() != end) {
        throw new IllegalStateException(
            "entry "
                + entry
                + " has size() "
                + size
                + " but its writeTo wrote "
                + (target.position() - payloadAt)
                + " bytes (or changed the buffer's limit); the record is refused");
      }
    } finally {
      target.clear();
    }
  }

  /** Drops the filling batch if it is an oversized one holding nothing (an encode failed). */
  void abandonEmptyOversized() {
    Batch batch = filling;
    if (batch != null && !batch.pooled && batch.isEmpty()) {
      filling = null;
      nextBatchOffset = batch.fileOffset;
      nextBatchStartsSegment = batch.startsSegment;
    }
  }

  /** Seals the filling batch with its trailer and queues it for writing. */
  void seal(long durableLsn) {
    Batch batch = filling;
    filling = null;
    batch.fill = encoder.trailer(batch.buffer, batch.fill, blockBytes, durableLsn);
    nextBatchOffset = batch.fileOffset + batch.fill;
    sealed.add(batch);
  }

  /** {@return whether the filling batch holds records} */
  boolean fillingHoldsRecords() {
    return filling != null && !filling.isEmpty();
  }

  Batch peekSealed() {
    return sealed.peek();
  }

  Batch pollSealed() {
    return sealed.poll();
  }

  int sealedCount() {
    return sealed.size();
  }

  /** Returns a written batch to the pool, unless it was an oversized one. */
  void recycle(Batch batch) {
    if (batch.pooled) {
      free.add(batch);
    }
  }
}
