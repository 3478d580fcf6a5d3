package dev.wal.vfs.local;

import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock file held with {@link FileChannel#tryLock()}, registered in this JVM by its real path.
 *
 * <p>Design note: a file lock belongs to the whole process, so a second channel of this JVM
 * would either get {@link OverlappingFileLockException} or, on file systems whose locks exclude
 * nothing (jimfs), succeed. The registry makes a second lock of the same file fail in this JVM on
 * every file system; the file lock excludes other processes where the file system supports it.
 * The lock file is left in place when released: deleting it would let two processes lock two
 * different files of one name.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class LocalLock implements VfsLock {
  private static final ConcurrentMap<Path, LocalLock> HELD = new ConcurrentHashMap<>();

  private final String name;
  private final Path realPath;
  private final FileChannel channel;
  private final AtomicBoolean held = new AtomicBoolean(true);
  // Set once, before the lock is published.
  private FileLock fileLock;

  private LocalLock(String name, Path realPath, FileChannel channel) {
    this.name = name;
    this.realPath = realPath;
    this.channel = channel;
  }

  static LocalLock acquire(String name, Path path, FileAttribute<?>[] attributes)
      throws IOException {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path,
              Set.of(
                  StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
              attributes);
    } catch (IOException e) {
      throw LocalVfs.refusedLink(path, e);
    }
    boolean success = false;
    try {
      // NOFOLLOW_LINKS made sure the file itself is no link; the directory may be reached by one.
      Path realPath = path.toRealPath();
      LocalLock lock = new LocalLock(name, realPath, channel);
      if (HELD.putIfAbsent(realPath, lock) != null) {
        throw new LockHeldException(
            "lock '" + name + "' (" + realPath + ") is held in this JVM");
      }
      try {
        lock.fileLock = tryLock(channel, lock);
      } finally {
        if (lock.fileLock == null) {
          HELD.remove(realPath, lock);
        }
      }
      success = true;
      return lock;
    } finally {
      if (!success) {
        channel.close();
      }
    }
  }

  private static FileLock tryLock(FileChannel channel, LocalLock lock) throws IOException {
    FileLock fileLock;
    try {
      fileLock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      LockHeldException held = new LockHeldException(lock + " is held in this JVM");
      held.initCause(e);
      throw held;
    }
    if (fileLock == null) {
      throw new LockHeldException(lock + " is held by another process");
    }
    return fileLock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isHeld() {
    return held.get();
  }

  @Override
  public void close() throws IOException {
    if (!held.compareAndSet(true, false)) {
      return;
    }
    try {
      fileLock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(realPath, this);
      }
    }
  }

  @Override
  public String toString() {
    return "lock '" + name + "' (" + realPath + ")";
  }
}
