package dev.wal.engine;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fast, private, in-heap backend for the fuzzer and the corruption tests: each file is a byte
 * array followed by a stretch of zeros up to its size, so that a test can plant a segment that
 * claims gigabytes without holding them. It counts what the log reads and the largest buffer the
 * log hands it, which is how the tests bound the work and the memory a damaged file costs.
 *
 * <p>No durability model: flush does nothing. Every method synchronizes on this object.
 */
final class SparseVfs extends AbstractVfs {
  /** One file: {@code data}, then zeros up to {@code size}. */
  private static final class Node {
    byte[] data;
    long size;

    Node(byte[] data, long size) {
      this.data = data;
      this.size = size;
    }
  }

  private static final byte[] ZEROS = new byte[1 << 16];

  private final Map<String, Node> files = new TreeMap<>();
  private final Set<String> locks = new HashSet<>();
  private long bytesRead;
  private long largestBuffer;

  SparseVfs(int sectorSize) {
    super("sparse:test", new VfsCapabilities(sectorSize, true, true, true, false));
  }

  /** Plants a file holding {@code data} followed by zeros up to {@code size}. */
  synchronized void put(String name, byte[] data, long size) {
    files.put(name, new Node(data.clone(), Math.max(size, data.length)));
  }

  synchronized void put(String name, byte[] data) {
    put(name, data, data.length);
  }

  /** {@return every file's bytes (a sparse tail is left out, its size is not)} */
  synchronized Map<String, byte[]> snapshot() {
    Map<String, byte[]> copy = new TreeMap<>();
    files.forEach(
        (name, node) -> {
          if (!name.equals(SegmentNames.LOCK)) {
            copy.put(name, Arrays.copyOf(node.data, (int) Math.min(node.size, node.data.length)));
          }
        });
    return copy;
  }

  synchronized long size(String name) {
    Node node = files.get(name);
    return node == null ? -1 : node.size;
  }

  /** {@return the bytes of every file, sizes of sparse tails included} */
  synchronized long totalBytes() {
    return files.values().stream().mapToLong(n -> n.size).sum();
  }

  synchronized long bytesRead() {
    return bytesRead;
  }

  /** {@return the largest buffer handed to a read or a write} */
  synchronized long largestBuffer() {
    return largestBuffer;
  }

  @Override
  protected synchronized AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    Node node = files.get(name);
    if (node == null && mode == OpenMode.EXISTING) {
      throw new NoSuchFileException(name);
    }
    if (node != null && mode == OpenMode.CREATE_NEW) {
      throw new FileAlreadyExistsException(name);
    }
    if (node == null) {
      node = new Node(new byte[0], 0);
      files.put(name, node);
    }
    return new SparseFile(name, node);
  }

  @Override
  protected synchronized List<String> doList() {
    return new ArrayList<>(files.keySet());
  }

  @Override
  protected synchronized boolean doExists(String name) {
    return files.containsKey(name);
  }

  @Override
  protected synchronized void doDelete(String name) throws IOException {
    if (files.remove(name) == null) {
      throw new NoSuchFileException(name);
    }
  }

  @Override
  protected synchronized void doRename(String source, String target) throws IOException {
    Node node = files.remove(source);
    if (node == null) {
      throw new NoSuchFileException(source);
    }
    files.put(target, node);
  }

  @Override
  protected void doSyncDirectory() {}

  @Override
  protected synchronized VfsLock doLock(String name) throws IOException {
    if (!locks.add(name)) {
      throw new LockHeldException("lock '" + name + "' is held");
    }
    files.putIfAbsent(name, new Node(new byte[0], 0));
    return new VfsLock() {
      private boolean held = true;

      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean isHeld() {
        synchronized (SparseVfs.this) {
          return held;
        }
      }

      @Override
      public void close() {
        synchronized (SparseVfs.this) {
          if (held) {
            held = false;
            locks.remove(name);
          }
        }
      }
    };
  }

  private synchronized void noteBuffer(int bytes) {
    largestBuffer = Math.max(largestBuffer, bytes);
  }

  private final class SparseFile extends AbstractVfsFile {
    private final Node node;

    SparseFile(String name, Node node) {
      super(name, SparseVfs.this);
      this.node = node;
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) throws IOException {
      synchronized (SparseVfs.this) {
        noteBuffer(src.remaining());
        long end = offset + src.remaining();
        if (end > node.data.length && isZeros(src.duplicate()) && offset >= node.data.length) {
          node.size = Math.max(node.size, end); // zeros past the data stay sparse
          src.position(src.limit());
          return;
        }
        if (end > node.data.length) {
          node.data = Arrays.copyOf(node.data, Math.toIntExact(end));
        }
        src.get(node.data, (int) offset, src.remaining());
        node.size = Math.max(node.size, end);
      }
    }

    private boolean isZeros(ByteBuffer bytes) {
      while (bytes.hasRemaining()) {
        if (bytes.get() != 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) {
      synchronized (SparseVfs.this) {
        noteBuffer(dst.remaining());
        if (offset >= node.size) {
          return dst.hasRemaining() ? -1 : 0;
        }
        int count = (int) Math.min(dst.remaining(), node.size - offset);
        int fromData = (int) Math.max(0, Math.min(count, node.data.length - offset));
        if (fromData > 0) {
          dst.put(node.data, (int) offset, fromData);
        }
        for (int i = fromData; i < count; i += ZEROS.length) {
          dst.put(ZEROS, 0, Math.min(ZEROS.length, count - i));
        }
        bytesRead += count;
        return count;
      }
    }

    @Override
    protected long doSize() {
      synchronized (SparseVfs.this) {
        return node.size;
      }
    }

    @Override
    protected void doTruncate(long size) {
      synchronized (SparseVfs.this) {
        if (size < node.size) {
          node.size = size;
          if (size < node.data.length) {
            node.data = Arrays.copyOf(node.data, (int) size);
          }
        }
      }
    }

    @Override
    protected void doFlush() {}

    @Override
    protected void doClose() {}
  }
}
