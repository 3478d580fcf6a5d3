package dev.wal.vfs.local;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsLock;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Vfs} over a directory of any {@link java.nio.file.FileSystem}: the default one in
 * production, jimfs in tests.
 *
 * <p>Files are {@link FileChannel}s with positional I/O; writes loop until the buffer is drained.
 * {@code flush()} is {@code force(false)}; {@code syncDirectory()} opens the directory and forces
 * it; {@code rename} is {@code Files.move} with {@code ATOMIC_MOVE}, replacing the target (an
 * {@link java.nio.file.AtomicMoveNotSupportedException} surfaces, never a copy); {@code lock} is
 * {@link FileChannel#tryLock()} on a lock file plus an in-JVM registry keyed by its real path.
 * A full disk becomes {@link dev.wal.vfs.OutOfSpaceException}, saying how many bytes of the write
 * reached the file.
 *
 * <p><b>Security.</b> A missing directory is created (unless configured not to) and, on POSIX
 * file systems, the directory, files and lock files it creates are owner-only unless configured
 * otherwise. Files and locks are opened with {@link LinkOption#NOFOLLOW_LINKS}: a symbolic link
 * planted where one should be makes the call fail instead of reaching the link's target.
 *
 * <p><b>Interrupts.</b> A {@code FileChannel} closes itself when a thread is interrupted during
 * I/O. A handle reopens its channel so that other threads go on; an interrupted read or write is
 * retried on the reopened channel and the thread's interrupt flag restored; an interrupted flush
 * fails (and so poisons the handle), since an fsync error may have been lost with it.
 *
 * <p><b>Capabilities.</b> Sector size 512 unless configured; {@code durableFlush} and {@code
 * interProcessLock} on the default file system only; {@code directorySync} where a directory can
 * be opened and forced (not on Windows or jimfs, where {@code syncDirectory()} does nothing);
 * {@code atomicRename} always. {@link #spec()} names the directory, which another {@code Vfs}
 * can open by spec only on the default file system.
 *
 * <p>Thread safety: safe for use by many threads.
 */
public final class LocalVfs extends AbstractVfs {
  private static final FileAttribute<?>[] NO_ATTRIBUTES = {};

  private final Path directory;
  private final FileAttribute<?>[] fileAttributes;

  private LocalVfs(Path directory, LocalVfsOptions options, VfsCapabilities capabilities) {
    super(
        VfsSpec.of(LocalVfsProvider.NAME, directory.toString(), options.asSpecOptions()).toString(),
        capabilities);
    this.directory = directory;
    this.fileAttributes = ownerOnly(directory, options, "rw-------");
  }

  /**
   * Opens a directory with default options, creating it if it is missing.
   *
   * @param directory the directory, on any file system
   * @return the opened storage; the caller closes it
   * @throws NotDirectoryException if the path exists and is not a directory
   * @throws IOException if the directory could not be created or read
   */
  public static Vfs open(Path directory) throws IOException {
    return open(directory, LocalVfsOptions.defaults());
  }

  /**
   * Opens a directory.
   *
   * @param directory the directory, on any file system
   * @param options the options
   * @return the opened storage; the caller closes it
   * @throws NoSuchFileException if the directory is missing and {@code createDirectory} is off
   * @throws NotDirectoryException if the path exists and is not a directory
   * @throws IOException if the directory could not be created or read
   */
  public static Vfs open(Path directory, LocalVfsOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    Path absolute = directory.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      if (!options.createDirectory()) {
        throw new NoSuchFileException(
            absolute.toString(), null, "missing, and createDirectory=false");
      }
      Files.createDirectories(absolute, ownerOnly(absolute, options, "rwx------"));
    }
    if (!Files.isDirectory(absolute)) {
      throw new NotDirectoryException(absolute.toString());
    }
    boolean defaultFileSystem = absolute.getFileSystem() == FileSystems.getDefault();
    VfsCapabilities capabilities =
        new VfsCapabilities(
            options.sectorSize(),
            defaultFileSystem,
            canForceDirectory(absolute),
            true,
            defaultFileSystem);
    return new LocalVfs(absolute, options, capabilities);
  }

  private static FileAttribute<?>[] ownerOnly(
      Path directory, LocalVfsOptions options, String permissions) {
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!options.ownerOnly() || !posix) {
      return NO_ATTRIBUTES;
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
    };
  }

  /** {@return whether the directory can be opened for reading and forced, as Linux allows} */
  private static boolean canForceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      // Windows refuses to open a directory and jimfs to make a channel of one: no directory
      // sync exists there, so it is not claimed (and syncDirectory does nothing).
      return false;
    }
  }

  private Path path(String name) {
    return directory.resolve(name);
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    Set<OpenOption> options = new HashSet<>();
    options.add(StandardOpenOption.READ);
    options.add(StandardOpenOption.WRITE);
    options.add(LinkOption.NOFOLLOW_LINKS);
    switch (mode) {
      case CREATE_NEW -> options.add(StandardOpenOption.CREATE_NEW);
      case CREATE -> options.add(StandardOpenOption.CREATE);
      case EXISTING -> {}
    }
    Path path = path(name);
    FileChannel channel;
    try {
      channel = FileChannel.open(path, options, fileAttributes);
    } catch (IOException e) {
      throw refusedLink(path, e);
    }
    return new LocalVfsFile(name, this, path, channel);
  }

  /**
   * {@return {@code e}, or if a symbolic link stands at {@code path} (the JDK then says only "Too
   * many levels of symbolic links", naming no file), an exception that names the file and says
   * why} A more specific subtype, such as {@link java.nio.file.FileAlreadyExistsException}, is
   * kept as it is.
   */
  static IOException refusedLink(Path path, IOException e) {
    boolean plain = e.getClass() == IOException.class || e.getClass() == FileSystemException.class;
    if (!plain || !Files.isSymbolicLink(path)) {
      return e;
    }
    FileSystemException refused =
        new FileSystemException(
            path.toString(),
            null,
            "a symbolic link stands where the file should be; the local backend never follows one"
                + " (remove it, or point the storage at the real directory)");
    refused.initCause(e);
    return refused;
  }

  @Override
  protected List<String> doList() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          names.add(entry.getFileName().toString());
        }
      }
    }
    return names;
  }

  @Override
  protected boolean doExists(String name) throws IOException {
    try {
      return !Files.readAttributes(path(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .isDirectory();
    } catch (NoSuchFileException e) {
      return false;
    }
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
  protected void doSyncDirectory() throws IOException {
    if (!capabilities().directorySync()) {
      return;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  @Override
  protected VfsLock doLock(String name) throws IOException {
    return LocalLock.acquire(name, path(name), fileAttributes);
  }
}
