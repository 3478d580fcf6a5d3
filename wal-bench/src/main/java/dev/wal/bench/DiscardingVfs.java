package dev.wal.bench;

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
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Storage that keeps file names and sizes but throws every byte away, reading back zeros: a sink,
 * so that a microbenchmark of appending measures the log's own code and not a backend's copy.
 * Never use it for data. Thread-safe.
 */
final class DiscardingVfs extends AbstractVfs {
  private final ConcurrentMap<String, AtomicLong> sizes = new ConcurrentHashMap<>();
  private final Set<String> locks = ConcurrentHashMap.newKeySet();

  /** Creates an empty storage. */
  DiscardingVfs() {
    super("discarding:bench", new VfsCapabilities(512, true, true, true, false));
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    switch (mode) {
      case EXISTING -> {
        if (!sizes.containsKey(name)) {
          throw new NoSuchFileException(name);
        }
      }
      case CREATE_NEW -> {
        if (sizes.putIfAbsent(name, new AtomicLong()) != null) {
          throw new FileAlreadyExistsException(name);
        }
      }
      case CREATE -> sizes.putIfAbsent(name, new AtomicLong());
    }
    return new DiscardingFile(name, this, sizes.get(name));
  }

  @Override
  protected List<String> doList() {
    List<String> names = new ArrayList<>(sizes.keySet());
    Collections.sort(names);
    return names;
  }

  @Override
  protected boolean doExists(String name) {
    return sizes.containsKey(name);
  }

  @Override
  protected void doDelete(String name) throws IOException {
    if (sizes.remove(name) == null) {
      throw new NoSuchFileException(name);
    }
  }

  @Override
  protected synchronized void doRename(String source, String target) throws IOException {
    AtomicLong size = sizes.remove(source);
    if (size == null) {
      throw new NoSuchFileException(source);
    }
    sizes.put(target, size);
  }

  @Override
  protected void doSyncDirectory() {}

  @Override
  protected VfsLock doLock(String name) throws IOException {
    if (!locks.add(name)) {
      throw new LockHeldException("lock '" + name + "' is held");
    }
    AtomicBoolean held = new AtomicBoolean(true);
    return new VfsLock() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean isHeld() {
        return held.get();
      }

      @Override
      public void close() {
        if (held.compareAndSet(true, false)) {
          locks.remove(name);
        }
      }
    };
  }

  /** A file that has a size and no content. */
  private static final class DiscardingFile extends AbstractVfsFile {
    private final AtomicLong size;

    DiscardingFile(String name, DiscardingVfs owner, AtomicLong size) {
      super(name, owner);
      this.size = size;
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) {
      long end = offset + src.remaining();
      src.position(src.limit());
      size.accumulateAndGet(end, Math::max);
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) {
      long available = size.get() - offset;
      if (available <= 0) {
        return dst.hasRemaining() ? -1 : 0;
      }
      int count = (int) Math.min(available, dst.remaining());
      for (int i = 0; i < count; i++) {
        dst.put((byte) 0);
      }
      return count;
    }

    @Override
    protected long doSize() {
      return size.get();
    }

    @Override
    protected void doTruncate(long newSize) {
      size.accumulateAndGet(newSize, Math::min);
    }

    @Override
    protected void doFlush() {}

    @Override
    protected void doClose() {}
  }
}
