package dev.wal.vfs.faulty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sparse bytes by offset: non-overlapping chunks, each a copy of some bytes of a file. Holds the
 * durable bytes that the live file no longer has, and the silent-fault overlays.
 *
 * <p>Memory is the bytes held, never the file's size. Instances are not thread-safe; the owning
 * {@link FaultyVfs} serialises every call.
 */
final class ByteRanges {
  private final TreeMap<Long, byte[]> chunks = new TreeMap<>();
  private long byteCount;

  /** {@return how many bytes are held} */
  long byteCount() {
    return byteCount;
  }

  boolean isEmpty() {
    return chunks.isEmpty();
  }

  void clear() {
    chunks.clear();
    byteCount = 0;
  }

  /** Returns the sub-ranges of [start, end) that no chunk covers, as {start, end} pairs. */
  List<long[]> gaps(long start, long end) {
    List<long[]> gaps = new ArrayList<>();
    long cursor = start;
    for (Map.Entry<Long, byte[]> chunk : overlapping(start, end)) {
      long chunkStart = chunk.getKey();
      if (chunkStart > cursor) {
        gaps.add(new long[] {cursor, chunkStart});
      }
      cursor = Math.max(cursor, chunkStart + chunk.getValue().length);
    }
    if (cursor < end) {
      gaps.add(new long[] {cursor, end});
    }
    return gaps;
  }

  /** Puts bytes at {@code offset}, replacing whatever was held there. */
  void put(long offset, byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    removeRange(offset, offset + bytes.length);
    chunks.put(offset, bytes);
    byteCount += bytes.length;
  }

  /** Drops whatever is held in [start, end), keeping the parts of chunks outside it. */
  void removeRange(long start, long end) {
    if (start >= end) {
      return;
    }
    for (Map.Entry<Long, byte[]> chunk : overlapping(start, end)) {
      long chunkStart = chunk.getKey();
      byte[] bytes = chunk.getValue();
      long chunkEnd = chunkStart + bytes.length;
      chunks.remove(chunkStart);
      byteCount -= bytes.length;
      if (chunkStart < start) {
        keep(chunkStart, bytes, 0, (int) (start - chunkStart));
      }
      if (chunkEnd > end) {
        keep(end, bytes, (int) (end - chunkStart), (int) (chunkEnd - end));
      }
    }
  }

  private void keep(long offset, byte[] from, int fromIndex, int length) {
    byte[] part = new byte[length];
    System.arraycopy(from, fromIndex, part, 0, length);
    chunks.put(offset, part);
    byteCount += length;
  }

  /**
   * Copies every held byte of [offset, offset + length) into {@code dst} at the same relative
   * position, leaving the other bytes of {@code dst} as they are.
   */
  void copyOnto(long offset, byte[] dst, int dstIndex, int length) {
    long end = offset + length;
    for (Map.Entry<Long, byte[]> chunk : overlapping(offset, end)) {
      long chunkStart = chunk.getKey();
      byte[] bytes = chunk.getValue();
      long from = Math.max(offset, chunkStart);
      long to = Math.min(end, chunkStart + bytes.length);
      System.arraycopy(
          bytes, (int) (from - chunkStart), dst, dstIndex + (int) (from - offset), (int) (to - from));
    }
  }

  /** {@return whether any held byte lies in [start, end)} */
  boolean overlaps(long start, long end) {
    return !overlapping(start, end).isEmpty();
  }

  private List<Map.Entry<Long, byte[]>> overlapping(long start, long end) {
    List<Map.Entry<Long, byte[]>> found = new ArrayList<>();
    if (start >= end) {
      return found;
    }
    Map.Entry<Long, byte[]> before = chunks.floorEntry(start);
    if (before != null && before.getKey() + before.getValue().length > start) {
      found.add(Map.entry(before.getKey(), before.getValue()));
    }
    // floorEntry already returned a chunk starting exactly at start; the rest start inside.
    // Copies, not TreeMap's own entries: removing a node may move another node's key into it.
    for (Map.Entry<Long, byte[]> chunk : chunks.subMap(start, false, end, false).entrySet()) {
      found.add(Map.entry(chunk.getKey(), chunk.getValue()));
    }
    return found;
  }
}
