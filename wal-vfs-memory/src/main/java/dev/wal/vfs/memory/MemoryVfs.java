package dev.wal.vfs.memory;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A named in-memory {@link Vfs} on jimfs: the storage for unit tests, examples and anything that
 * must not touch a disk.
 *
 * <p>{@code MemoryVfs.open("orders-test")} (or {@code Vfs.open("memory:orders-test")}) opens the
 * storage of that name, creating it empty the first time. The name keeps its files for as long as
 * the JVM lives, so a test can close a {@code Vfs} and open the name again to find them; two
 * {@code Vfs} open on one name see the same files and share locks. {@link #drop(String)} forgets
 * a name, for tests that create many.
 *
 * <p>Capabilities: there is no power loss to survive, so {@code durableFlush} and {@code
 * directorySync} are not claimed ({@code flush()} and {@code syncDirectory()} do nothing but
 * check state); rename is atomic; locks exclude other {@code Vfs} of the same storage in this JVM
 * only; the sector size is 512 bytes unless configured. With {@code maxSize} set, a write that
 * would pass it throws {@link dev.wal.vfs.OutOfSpaceException} and writes nothing.
 *
 * <p>Thread safety: safe for use by many threads.
 */
public final class MemoryVfs extends AbstractVfs {
  private final MemoryStorage storage;

  private MemoryVfs(MemoryStorage storage) {
    super(storage.spec(), storage.capabilities());
    this.storage = storage;
  }

  /**
   * Opens the storage of that name with default options, creating it if it does not exist.
   *
   * @param name the storage's name: 1 to 255 characters, no control characters
   * @return the opened storage; the caller closes it
   * @throws IllegalArgumentException if the name is not allowed
   * @throws IOException if the storage could not be created
   */
  public static Vfs open(String name) throws IOException {
    return open(name, MemoryVfsOptions.defaults());
  }

  /**
   * Opens the storage of that name, creating it with {@code options} if it does not exist.
   *
   * @param name the storage's name: 1 to 255 characters, no control characters
   * @param options the options; those set must match an existing storage's
   * @return the opened storage; the caller closes it
   * @throws IllegalArgumentException if the name is not allowed, or an option differs from the
   *     existing storage's (the message names it)
   * @throws IOException if the storage could not be created
   */
  public static Vfs open(String name, MemoryVfsOptions options) throws IOException {
    return new MemoryVfs(MemoryStorage.acquire(name, options));
  }

  /**
   * Forgets a storage's name and files: the next open of the name starts empty. A {@code Vfs}
   * still open on the storage keeps working on the old files; their memory is freed when the last
   * one closes.
   *
   * @param name the storage's name
   * @return whether a storage of that name existed
   * @throws IOException if closing the unused file system failed
   */
  public static boolean drop(String name) throws IOException {
    return MemoryStorage.drop(name);
  }

  private Path path(String name) {
    return storage.directory().resolve(name);
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
    switch (mode) {
      case CREATE_NEW -> options.add(StandardOpenOption.CREATE_NEW);
      case CREATE -> options.add(StandardOpenOption.CREATE);
      case EXISTING -> {}
    }
    Path path = path(name);
    FileChannel channel = FileChannel.open(path, options);
    return new MemoryVfsFile(name, this, path, channel, storage);
  }

  @Override
  protected List<String> doList() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(storage.directory())) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    }
    return names;
  }

  @Override
  protected boolean doExists(String name) {
    return Files.exists(path(name), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  protected void doDelete(String name) throws IOException {
    Files.delete(path(name));
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    Files.move(
        path(source),
        path(target),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  protected void doSyncDirectory() {
    // Nothing to do: no power loss exists here, and directorySync is not claimed.
  }

  @Override
  protected VfsLock doLock(String name) throws IOException {
    return storage.lock(name);
  }

  @Override
  protected void doClose() throws IOException {
    storage.release();
  }
}
