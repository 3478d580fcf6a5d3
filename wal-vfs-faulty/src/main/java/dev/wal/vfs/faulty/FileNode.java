package dev.wal.vfs.faulty;

import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One file's contents as a crash would see them: what is durable and what is only written.
 *
 * <p>The live bytes stay in the inner storage. A node keeps only what differs: the durable bytes
 * that writes and truncates replaced since the last flush ({@code saved}), the durable bytes of
 * writes that a failed flush dropped in {@link FlushFailureMode#LINUX} mode ({@code lost}), and
 * the operations since the last flush ({@code pending}, with copies of the written bytes), so
 * memory is proportional to unflushed data, not to the file's size. For every offset below
 * {@code durableSize} the durable byte is {@code saved}'s, else {@code lost}'s, else the live one.
 *
 * <p>A node outlives its name: after a delete, or a rename over it, it stays in the crash model
 * (its inner file kept under a hidden name) until a directory sync makes the change durable.
 *
 * <p>Not thread-safe: the owning {@link FaultyVfs} serialises every call.
 */
final class FileNode {
  /** A write (data != null) or a truncate since the last flush, in order. */
  record Pending(long offset, byte[] data, long truncateTo) {}

  final long id;
  /**
   * The name the file has, or had last (after a delete): what its operations are traced and
   * matched under, also through a handle opened under an earlier name. Volatile: a handle reads it
   * before taking the storage's lock.
   */
  volatile String name;
  String innerName;
  long liveSize;
  long durableSize;
  private final ByteRanges saved = new ByteRanges();
  private final ByteRanges lost = new ByteRanges();
  private final List<Pending> pending = new ArrayList<>();
  private long pendingBytes;

  /** Silent-fault overlay over the live bytes: what reads show instead of the true bytes. */
  final ByteRanges overlay = new ByteRanges();
  /** Sector indices whose reads fail until a write covers them whole. */
  final TreeSet<Long> badSectors = new TreeSet<>();
  long writeCount;
  long readCount;

  FileNode(long id, String innerName, long size, boolean durable) {
    this.id = id;
    this.name = innerName;
    this.innerName = innerName;
    this.liveSize = size;
    this.durableSize = durable ? size : 0;
  }

  List<Pending> pending() {
    return pending;
  }

  /** {@return how many bytes of unflushed data and saved durable data this node holds} */
  long heldBytes() {
    return pendingBytes + saved.byteCount() + lost.byteCount();
  }

  /** Saves the durable bytes of [offset, offset + length) before a write replaces them. */
  void beforeWrite(VfsFile live, long offset, long length) throws IOException {
    saveDurable(live, offset, Math.min(offset + length, durableSize));
  }

  void afterWrite(long offset, byte[] data) {
    if (data.length == 0) {
      return; // an empty write changes nothing, not even the size (as FileChannel's)
    }
    lost.removeRange(offset, offset + data.length);
    pending.add(new Pending(offset, data, -1));
    pendingBytes += data.length;
    liveSize = Math.max(liveSize, offset + data.length);
  }

  void beforeTruncate(VfsFile live, long size) throws IOException {
    saveDurable(live, size, Math.min(liveSize, durableSize));
  }

  void afterTruncate(long size) {
    if (size < liveSize) {
      liveSize = size;
      lost.removeRange(size, Long.MAX_VALUE);
      pending.add(new Pending(-1, null, size));
    }
  }

  /** A flush succeeded: everything live is durable, except what a failed flush lost. */
  void flushed() {
    durableSize = liveSize;
    saved.clear();
    pending.clear();
    pendingBytes = 0;
  }

  /**
   * A flush failed in {@link FlushFailureMode#LINUX} mode: the pending writes stay readable but
   * will never be durable; their ranges keep the durable bytes they had (zeros past the durable
   * end) even after a later flush succeeds, until they are written again.
   */
  void flushLost(VfsFile live) throws IOException {
    for (Pending op : pending) {
      if (op.data() != null) {
        byte[] durable = new byte[op.data().length];
        readDurable(live, op.offset(), durable, 0, durable.length);
        lost.put(op.offset(), durable);
      }
    }
    pending.clear();
    pendingBytes = 0;
  }

  /**
   * Reads durable bytes of [offset, offset + length) into {@code dst}; bytes at or past {@code
   * durableSize} read as zeros, or as what a lost write left there.
   */
  void readDurable(VfsFile live, long offset, byte[] dst, int dstIndex, int length)
      throws IOException {
    readLive(live, offset, dst, dstIndex, length);
    if (offset + length > durableSize) {
      int from = (int) Math.max(0, durableSize - offset);
      java.util.Arrays.fill(dst, dstIndex + from, dstIndex + length, (byte) 0);
    }
    lost.copyOnto(offset, dst, dstIndex, length);
    saved.copyOnto(offset, dst, dstIndex, length);
  }

  private void saveDurable(VfsFile live, long start, long end) throws IOException {
    for (long[] gap : saved.gaps(start, end)) {
      int length = Math.toIntExact(gap[1] - gap[0]);
      byte[] bytes = new byte[length];
      readLive(live, gap[0], bytes, 0, length);
      lost.copyOnto(gap[0], bytes, 0, length);
      saved.put(gap[0], bytes);
    }
  }

  /** Reads the true live bytes (no silent-fault overlay); zeros past the live end. */
  void readLive(VfsFile live, long offset, byte[] dst, int dstIndex, int length)
      throws IOException {
    java.util.Arrays.fill(dst, dstIndex, dstIndex + length, (byte) 0);
    long available = Math.min(length, liveSize - offset);
    if (available > 0) {
      live.readFully(offset, ByteBuffer.wrap(dst, dstIndex, (int) available));
    }
  }

  @Override
  public String toString() {
    return "node " + id + " (" + innerName + ", live " + liveSize + ", durable " + durableSize
        + ", " + pending.size() + " pending)";
  }
}
