package dev.wal.vfs;

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

/**
 * A small backend on byte arrays for wal-api's own tests: it checks the base classes and lets the
 * conformance kit run in its own module, power losses and failed flushes included.
 *
 * <p>Each file keeps its live bytes and the bytes its last flush made durable; the directory keeps
 * its live entries and those its last {@code syncDirectory()} made durable. A power loss keeps
 * only the durable parts. Every method synchronizes on the shared {@link Storage}.
 */
final class HeapVfs extends AbstractVfs {
  static final VfsCapabilities CAPABILITIES = new VfsCapabilities(512, true, true, true, false);

  /** What several {@code HeapVfs} may share: files, the durable directory, locks. */
  static final class Storage {
    final Map<String, Data> live = new HashMap<>();
    Map<String, Data> durable = new HashMap<>();
    final Set<String> locks = new HashSet<>();
    final Set<String> failNextFlush = new HashSet<>();

    /** {@return a storage holding only what survives a power loss} */
    synchronized Storage afterPowerLoss() {
      Storage after = new Storage();
      durable.forEach((name, data) -> after.live.put(name, new Data(data.durable)));
      after.durable = new HashMap<>(after.live);
      return after;
    }
  }

  /** One file's bytes. */
  static final class Data {
    byte[] bytes;
    byte[] durable;

    Data(byte[] bytes) {
      this.bytes = bytes;
      this.durable = bytes;
    }
  }

  final Storage storage;

  HeapVfs(String spec, Storage storage) {
    super(spec, CAPABILITIES);
    this.storage = storage;
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    synchronized (storage) {
      Data data = storage.live.get(name);
      if (data == null && mode == OpenMode.EXISTING) {
        throw new NoSuchFileException(name);
      }
      if (data != null && mode == OpenMode.CREATE_NEW) {
        throw new FileAlreadyExistsException(name);
      }
      if (data == null) {
        data = new Data(new byte[0]);
        storage.live.put(name, data);
      }
      return new HeapFile(name, this, data, storage.failNextFlush.remove(name));
    }
  }

  @Override
  protected List<String> doList() {
    synchronized (storage) {
      return new ArrayList<>(storage.live.keySet());
    }
  }

  @Override
  protected boolean doExists(String name) {
    synchronized (storage) {
      return storage.live.containsKey(name);
    }
  }

  @Override
  protected void doDelete(String name) throws IOException {
    synchronized (storage) {
      if (storage.live.remove(name) == null) {
        throw new NoSuchFileException(name);
      }
    }
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    synchronized (storage) {
      Data data = storage.live.remove(source);
      if (data == null) {
        throw new NoSuchFileException(source);
      }
      storage.live.put(target, data);
    }
  }

  @Override
  protected void doSyncDirectory() {
    synchronized (storage) {
      storage.durable = new HashMap<>(storage.live);
    }
  }

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

  /** A handle on one file's {@link Data}. */
  private final class HeapFile extends AbstractVfsFile {
    private final Data data;
    private boolean failFlush;

    HeapFile(String name, AbstractVfs owner, Data data, boolean failFlush) {
      super(name, owner);
      this.data = data;
      this.failFlush = failFlush;
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) {
      if (!src.hasRemaining()) {
        return; // an empty write changes nothing, not even the size
      }
      synchronized (storage) {
        int end = Math.toIntExact(offset + src.remaining());
        if (end > data.bytes.length) {
          data.bytes = Arrays.copyOf(data.bytes, end);
        }
        src.get(data.bytes, (int) offset, src.remaining());
      }
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) {
      synchronized (storage) {
        if (offset >= data.bytes.length) {
          return dst.hasRemaining() ? -1 : 0;
        }
        int count = (int) Math.min(dst.remaining(), data.bytes.length - offset);
        dst.put(data.bytes, (int) offset, count);
        return count;
      }
    }

    @Override
    protected long doSize() {
      synchronized (storage) {
        return data.bytes.length;
      }
    }

    @Override
    protected void doTruncate(long size) {
      synchronized (storage) {
        if (size < data.bytes.length) {
          data.bytes = Arrays.copyOf(data.bytes, (int) size);
        }
      }
    }

    @Override
    protected void doFlush() throws IOException {
      synchronized (storage) {
        if (failFlush) {
          failFlush = false;
          throw new IOException("injected flush failure of '" + name() + "'");
        }
        data.durable = data.bytes.clone();
      }
    }

    @Override
    protected void doClose() {}
  }
}
