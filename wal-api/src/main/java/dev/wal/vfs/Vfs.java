package dev.wal.vfs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * A flat directory of named files: the storage a log is written to.
 *
 * <p>Open one by spec with {@link #open(String)}: {@code local:/var/lib/app/wal}, {@code
 * memory:orders-test} or {@code faulty:memory:orders-test?seed=42}. The part before the first
 * colon names a {@link VfsProvider}; the grammar is in {@link VfsSpec}.
 *
 * <p><b>Names.</b> A file name is a plain name: not empty, at most 255 UTF-8 bytes, no {@code /}
 * or {@code \}, no NUL or other control character, and not {@code .} or {@code ..}. Every method
 * taking a name refuses any other with an {@link IllegalArgumentException} quoting it, so no call
 * can reach a file outside this directory.
 *
 * <p><b>Durability.</b> Creating, renaming and deleting files changes the directory; those changes
 * survive a power loss only once {@link #syncDirectory()} has returned (where {@link
 * VfsCapabilities#directorySync()} is claimed). File contents are made durable with {@link
 * VfsFile#flush()}.
 *
 * <p><b>Errors.</b> Every method throws a checked {@link IOException} for I/O failures, using the
 * JDK subtypes named in its contract, {@link OutOfSpaceException} when storage is full, and
 * {@link dev.wal.AlreadyClosedException} (a {@link java.nio.channels.ClosedChannelException})
 * after {@link #close()}.
 *
 * <p><b>Thread safety.</b> Implementations are safe for use by many threads at once.
 */
public interface Vfs extends Closeable {

  /** How {@link #open(String, OpenMode)} treats a file that exists or does not. */
  enum OpenMode {
    /** Open the file if it exists; throw {@link NoSuchFileException} if it does not. */
    EXISTING,
    /** Create the file; throw {@link FileAlreadyExistsException} if it exists. */
    CREATE_NEW,
    /** Open the file, creating it empty if it does not exist. */
    CREATE
  }

  /**
   * Opens a {@code Vfs} from a spec string, with the providers visible to this library's class
   * loader.
   *
   * @param spec for example {@code memory:orders-test}; see {@link VfsSpec}
   * @return the opened storage; the caller closes it
   * @throws IllegalArgumentException if the spec is malformed, names no provider found (the
   *     message lists those found), or has an option the provider does not know (the message names
   *     it)
   * @throws IllegalStateException if two providers claim the spec's name (both classes are named)
   * @throws IOException if the provider fails to open the storage
   */
  static Vfs open(String spec) throws IOException {
    return open(VfsSpec.parse(spec));
  }

  /**
   * Opens a {@code Vfs} from a parsed spec, with the providers visible to this library's class
   * loader.
   *
   * @param spec the parsed spec
   * @return the opened storage; the caller closes it
   * @throws IllegalArgumentException as {@link #open(String)}
   * @throws IllegalStateException as {@link #open(String)}
   * @throws IOException if the provider fails to open the storage
   */
  static Vfs open(VfsSpec spec) throws IOException {
    return VfsProviders.defaultRegistry().open(spec);
  }

  /**
   * Opens a {@code Vfs} from a spec string, with the providers visible to {@code classLoader}.
   *
   * @param spec the spec string
   * @param classLoader where {@link java.util.ServiceLoader} looks for providers
   * @return the opened storage; the caller closes it
   * @throws IllegalArgumentException as {@link #open(String)}
   * @throws IllegalStateException as {@link #open(String)}
   * @throws IOException if the provider fails to open the storage
   */
  static Vfs open(String spec, ClassLoader classLoader) throws IOException {
    return VfsProviders.load(classLoader).open(VfsSpec.parse(spec));
  }

  /** {@return the spec this {@code Vfs} was opened with, or an equivalent one} */
  String spec();

  /** {@return what this storage promises; the conformance kit checks every claim} */
  VfsCapabilities capabilities();

  /**
   * Opens a file for positional reads and writes.
   *
   * @param name a plain file name (see the class documentation)
   * @param mode whether the file must exist, must not exist, or may be created
   * @return a handle the caller closes; closing this {@code Vfs} closes it too
   * @throws NoSuchFileException if {@code mode} is {@link OpenMode#EXISTING} and the file does not
   *     exist
   * @throws FileAlreadyExistsException if {@code mode} is {@link OpenMode#CREATE_NEW} and the file
   *     exists
   * @throws IOException on any other I/O failure
   */
  VfsFile open(String name, OpenMode mode) throws IOException;

  /**
   * Lists the names of the files in this directory, sorted by {@link String#compareTo}.
   *
   * @return the names, in ascending order
   * @throws IOException on an I/O failure
   */
  List<String> list() throws IOException;

  /**
   * Tells whether a file of this name exists.
   *
   * @param name a plain file name
   * @return whether it exists
   * @throws IOException on an I/O failure
   */
  boolean exists(String name) throws IOException;

  /**
   * Deletes a file. Open handles of it may go on working or may fail; do not rely on either.
   *
   * @param name a plain file name
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException on any other I/O failure
   */
  void delete(String name) throws IOException;

  /**
   * Renames a file atomically, replacing {@code target} if it exists: at every moment, and after
   * a crash, {@code target} names either its old content or the whole of {@code source}'s. Never
   * falls back to a copy.
   *
   * @param source the existing file's name
   * @param target the new name
   * @throws NoSuchFileException if {@code source} does not exist
   * @throws java.nio.file.AtomicMoveNotSupportedException if the storage cannot rename atomically
   * @throws IOException on any other I/O failure
   */
  void rename(String source, String target) throws IOException;

  /**
   * Makes the directory's own changes (creates, renames, deletes) durable. When it returns, they
   * survive a power loss, where {@link VfsCapabilities#directorySync()} is claimed; elsewhere it
   * does nothing.
   *
   * @throws IOException on an I/O failure; nothing about durability is promised then
   */
  void syncDirectory() throws IOException;

  /**
   * Takes an exclusive lock named {@code name}, failing at once if it is held, whether by this
   * process (through this or any other {@code Vfs} of the same storage) or, where {@link
   * VfsCapabilities#interProcessLock()} is claimed, by another process. The lock may be backed by
   * a file of that name, which then appears in {@link #list()}.
   *
   * @param name a plain file name for the lock
   * @return the held lock; close it to release
   * @throws LockHeldException if the lock is held
   * @throws IOException on any other I/O failure
   */
  VfsLock lock(String name) throws IOException;

  /**
   * Closes this storage: every file it opened is closed and every lock it holds released. Closing
   * does not flush: data not flushed may be lost. Calling it again does nothing.
   *
   * @throws IOException if releasing a resource failed; the others are released all the same
   */
  @Override
  void close() throws IOException;
}
