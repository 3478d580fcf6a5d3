package dev.wal.vfs.faulty;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny in-memory Vfs for this module's tests, so they need no other backend: named storages
 * shared by name for the JVM's life (provider {@code heap}), one lock per storage.
 */
final class HeapVfs extends AbstractVfs {
  static final Map<String, Storage> STORAGES = new ConcurrentHashMap<>();

  static final class Storage {
    final Map<String, byte[][]> files = new HashMap<>();
    final Set<String> locks = new HashSet<>();
  }

  private final Storage storage;

  HeapVfs(String name) {
    super("heap:" + name, new VfsCapabilities(512, false, false, true, false));
    this.storage = STORAGES.computeIfAbsent(name, n -> new Storage());
  }

  /** A fresh storage with a unique name. */
  static HeapVfs fresh() {
    return new HeapVfs("t" + System.nanoTime() + "-" + STORAGES.size());
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    synchronized (storage) {
      byte[][] content = storage.files.get(name);
      if (content == null && mode == OpenMode.EXISTING) {
        throw new NoSuchFileException(name);
      }
      if (content != null && mode == OpenMode.CREATE_NEW) {
        throw new FileAlreadyExistsException(name);
      }
      if (content == null) {
        content = new byte[][] {new byte[0]};
        storage.files.put(name, content);
      }
      return new HeapFile(name, content);
    }
  }

  @Override
  protected List<String> doList() {
    synchronized (storage) {
      return new ArrayList<>(storage.files.keySet());
    }
  }

  @Override
  protected boolean doExists(String name) {
    synchronized (storage) {
      return storage.files.containsKey(name);
    }
  }

  @Override
  protected void doDelete(String name) throws IOException {
    synchronized (storage) {
      if (storage.files.remove(name) == null) {
        throw new NoSuchFileException(name);
      }
    }
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    synchronized (storage) {
      byte[][] content = storage.files.remove(source);
      if (content == null) {
        throw new NoSuchFileException(source);
      }
      storage.files.put(target, content);
    }
  }

  @Override
  protected void doSyncDirectory() {}

  @Override
  protected VfsLock doLock(String name) throws IOException {
    synchronized (storage) {
      if (!storage.locks.add(name)) {
        throw new LockHeldException("lock '" + name + "' is held");
      }
    }
    return new VfsLock() {
      private boolean held = true;

      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean isHeld() {
        synchronized (storage) {
          return held;
        }
      }

      @Override
      public void close() {
        synchronized (storage) {
          if (held) {
            held = false;
            storage.locks.remove(name);
          }
        }
      }
    };
  }

  /** A file's bytes live in a one-element array, so a rename keeps open handles working. */
  private final class HeapFile extends AbstractVfsFile {
    private final byte[][] content;

    HeapFile(String name, byte[][] content) {
      super(name, HeapVfs.this);
      this.content = content;
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) {
      synchronized (storage) {
        int end = Math.toIntExact(offset + src.remaining());
        if (end > content[0].length) {
          content[0] = Arrays.copyOf(content[0], end);
        }
        src.get(content[0], (int) offset, src.remaining());
      }
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) {
      synchronized (storage) {
        if (offset >= content[0].length) {
          return dst.hasRemaining() ? -1 : 0;
        }
        int count = (int) Math.min(dst.remaining(), content[0].length - offset);
        dst.put(content[0], (int) offset, count);
        return count;
      }
    }

    @Override
    protected long doSize() {
      synchronized (storage) {
        return content[0].length;
      }
    }

    @Override
    protected void doTruncate(long size) {
      synchronized (storage) {
        if (size < content[0].length) {
          content[0] = Arrays.copyOf(content[0], (int) size);
        }
      }
    }

    @Override
    protected void doFlush() {}

    @Override
    protected void doClose() {}
  }
}
