package dev.wal.vfs.memory;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsLock;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One named storage: a jimfs file system, the directory its files live in, and its lock table.
 *
 * <p>Design note: the static registry holds a strong reference to each file system, because the
 * jimfs provider caches file systems with weak values; without it a closed-and-reopened name could
 * come back empty. {@link #drop(String)} forgets a name; the file system is closed when the last
 * {@link MemoryVfs} open on it closes.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class MemoryStorage {
  private static final ConcurrentMap<String, MemoryStorage> NAMED = new ConcurrentHashMap<>();
  private static final int MAX_NAME_LENGTH = 255;

  private final String name;
  private final FileSystem fileSystem;
  private final Path directory;
  private final long maxSizeBytes;
  private final int blockSize;
  private final VfsCapabilities capabilities;
  private final String spec;
  private final ConcurrentMap<String, Lock> locks = new ConcurrentHashMap<>();

  // @GuardedBy("this")
  private int openViews;
  // @GuardedBy("this")
  private boolean dropped;

  private MemoryStorage(String name, MemoryVfsOptions options) throws IOException {
    this.name = name;
    this.blockSize = (int) valueOr(options.blockSizeBytes(), MemoryVfsOptions.DEFAULT_BLOCK_SIZE);
    long largest = (long) Integer.MAX_VALUE * blockSize; // jimfs counts blocks in an int
    this.maxSizeBytes = valueOr(options.maxSizeBytes(), largest);
    if (maxSizeBytes < blockSize || maxSizeBytes > largest) {
      throw new IllegalArgumentException(
          "memory storage '" + name + "': maxSize (" + maxSizeBytes + ") must be from one block ("
              + blockSize + ", see blockSize) to " + largest);
    }
    int sectorSize =
        (int) valueOr(options.sectorSizeBytes(), MemoryVfsOptions.DEFAULT_SECTOR_SIZE);
    this.capabilities = new VfsCapabilities(sectorSize, false, false, true, false);
    this.spec = VfsSpec.of(MemoryVfsProvider.NAME, name, options.asSpecOptions()).toString();
    this.fileSystem =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder()
                .setAttributeViews("basic")
                .setBlockSize(blockSize)
                .setMaxSize(maxSizeBytes)
                // Freed blocks go back to the heap: tests create and drop many storages.
                .setMaxCacheSize(0)
                .build());
    this.directory = Files.createDirectory(fileSystem.getPath("/vfs"));
  }

  private static long valueOr(long value, long defaultValue) {
    return value < 0 ? defaultValue : value;
  }

  /**
   * Returns the storage of that name, created with {@code options} if it does not exist, counted
   * as one more open view until {@link #release()}.
   */
  static MemoryStorage acquire(String name, MemoryVfsOptions options) throws IOException {
    checkStorageName(name);
    // A storage found in the map may be dropped before we count ourselves in; then look again.
    for (int attempt = 0; attempt < 1_000; attempt++) {
      MemoryStorage storage;
      try {
        storage = NAMED.computeIfAbsent(name, n -> create(n, options));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      storage.checkMatches(options);
      if (storage.tryAcquire()) {
        return storage;
      }
      NAMED.remove(name, storage);
    }
    throw new IllegalStateException(
        "memory storage '" + name + "' kept being dropped while it was opened");
  }

  private static MemoryStorage create(String name, MemoryVfsOptions options) {
    try {
      return new MemoryStorage(name, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void checkStorageName(String name) {
    if (name == null) {
      throw new NullPointerException("memory storage name");
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "memory storage name '" + name + "' must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "memory storage name '" + name.replaceAll("\\p{Cntrl}", "?")
              + "' contains a control character");
    }
  }

  /** Forgets the name; see {@link MemoryVfs#drop(String)}. */
  static boolean drop(String name) throws IOException {
    checkStorageName(name);
    MemoryStorage storage = NAMED.remove(name);
    if (storage == null) {
      return false;
    }
    storage.markDropped();
    return true;
  }

  private void checkMatches(MemoryVfsOptions options) {
    checkSame(MemoryVfsOptions.MAX_SIZE, options.maxSizeBytes(), maxSizeBytes);
    checkSame(MemoryVfsOptions.SECTOR_SIZE, options.sectorSizeBytes(), capabilities.sectorSize());
    checkSame(MemoryVfsOptions.BLOCK_SIZE, options.blockSizeBytes(), blockSize);
  }

  private void checkSame(String key, long requested, long actual) {
    if (requested >= 0 && requested != actual) {
      throw new IllegalArgumentException(
          "memory storage '" + name + "' exists with " + key + "=" + actual
              + " and cannot be opened with " + key + "=" + requested
              + "; open it without that option, or drop it first");
    }
  }

  private synchronized boolean tryAcquire() {
    if (dropped) {
      return false;
    }
    openViews++;
    return true;
  }

  synchronized void release() throws IOException {
    openViews--;
    closeIfUnused();
  }

  private synchronized void markDropped() throws IOException {
    dropped = true;
    closeIfUnused();
  }

  // @GuardedBy("this")
  private void closeIfUnused() throws IOException {
    if (dropped && openViews == 0) {
      fileSystem.close();
    }
  }

  String name() {
    return name;
  }

  String spec() {
    return spec;
  }

  VfsCapabilities capabilities() {
    return capabilities;
  }

  long maxSizeBytes() {
    return maxSizeBytes;
  }

  Path directory() {
    return directory;
  }

  /** Takes the lock, backed by a file of that name so that it shows in listings as on disk. */
  VfsLock lock(String lockName) throws IOException {
    Lock lock = new Lock(lockName);
    Lock holder = locks.putIfAbsent(lockName, lock);
    if (holder != null) {
      throw new LockHeldException(
          "lock '" + lockName + "' of " + spec + " is held (by a Vfs of this storage in this JVM)");
    }
    boolean success = false;
    try {
      Files.createFile(directory.resolve(lockName));
      success = true;
    } catch (FileAlreadyExistsException e) {
      success = true; // left by an earlier holder, as a lock file on disk would be
    } finally {
      if (!success) {
        locks.remove(lockName, lock);
      }
    }
    return lock;
  }

  /** A lock held in this storage's table until closed. */
  private final class Lock implements VfsLock {
    private final String lockName;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Lock(String lockName) {
      this.lockName = lockName;
    }

    @Override
    public String name() {
      return lockName;
    }

    @Override
    public boolean isHeld() {
      return held.get();
    }

    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        locks.remove(lockName, this);
      }
    }

    @Override
    public String toString() {
      return "lock '" + lockName + "' of " + spec;
    }
  }

  @Override
  public String toString() {
    return spec;
  }
}
