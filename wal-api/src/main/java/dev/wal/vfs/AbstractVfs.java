package dev.wal.vfs;

import dev.wal.AlreadyClosedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A base for {@link Vfs} implementations that enforces the parts of the contract every backend
 * shares, so that each backend writes only its mechanism.
 *
 * <p>It checks names (refusing any that could leave the directory), fails every call after
 * {@link #close()} with {@link AlreadyClosedException}, and on close releases every lock and
 * closes every file still open, keeping the first failure and suppressing the rest. Subclasses
 * implement the {@code do*} methods, which are called only while open and with checked names.
 * Files should extend {@link AbstractVfsFile}, passing this {@code Vfs} as their owner.
 *
 * <p>Thread safety: this class is safe for use by many threads if the subclass's methods are.
 */
public abstract class AbstractVfs implements Vfs {
  private final String spec;
  private final VfsCapabilities capabilities;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Set<AbstractVfsFile> openFiles = ConcurrentHashMap.newKeySet();
  private final Set<VfsLock> heldLocks = ConcurrentHashMap.newKeySet();

  /**
   * Creates the base.
   *
   * @param spec the spec this storage answers to, returned by {@link #spec()}
   * @param capabilities what this storage promises
   */
  protected AbstractVfs(String spec, VfsCapabilities capabilities) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
  }

  /**
   * Checks that {@code name} is a plain file name (see {@link Vfs}).
   *
   * @param name the name to check
   * @return the name
   * @throws IllegalArgumentException if it is not a plain name; the message quotes it
   */
  public static String checkName(String name) {
    return FileNames.check(name);
  }

  @Override
  public final String spec() {
    return spec;
  }

  @Override
  public final VfsCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public String toString() {
    return spec;
  }

  /**
   * Throws if this storage is closed.
   *
   * @throws AlreadyClosedException if it is
   */
  protected final void ensureOpen() throws AlreadyClosedException {
    if (!open.get()) {
      throw new AlreadyClosedException("Vfs " + spec);
    }
  }

  /** {@return whether this storage is still open} */
  protected final boolean isOpen() {
    return open.get();
  }

  @Override
  public final VfsFile open(String name, OpenMode mode) throws IOException {
    checkName(name);
    Objects.requireNonNull(mode, "mode");
    ensureOpen();
    AbstractVfsFile file = doOpen(name, mode);
    if (!isOpen()) {
      // close() ran while we opened: it could not see this handle, so close it here.
      file.close();
      ensureOpen();
    }
    return file;
  }

  @Override
  public final List<String> list() throws IOException {
    ensureOpen();
    List<String> names = new ArrayList<>(doList());
    names.sort(null);
    return names;
  }

  @Override
  public final boolean exists(String name) throws IOException {
    checkName(name);
    ensureOpen();
    return doExists(name);
  }

  @Override
  public final void delete(String name) throws IOException {
    checkName(name);
    ensureOpen();
    doDelete(name);
  }

  @Override
  public final void rename(String source, String target) throws IOException {
    checkName(source);
    checkName(target);
    ensureOpen();
    doRename(source, target);
  }

  @Override
  public final void syncDirectory() throws IOException {
    ensureOpen();
    doSyncDirectory();
  }

  @Override
  public final VfsLock lock(String name) throws IOException {
    checkName(name);
    ensureOpen();
    VfsLock lock = doLock(name);
    heldLocks.add(lock);
    if (!isOpen()) {
      heldLocks.remove(lock);
      lock.close();
      ensureOpen();
    }
    return new VfsLock() {
      @Override
      public String name() {
        return lock.name();
      }

      @Override
      public boolean isHeld() {
        return lock.isHeld();
      }

      @Override
      public void close() throws IOException {
        heldLocks.remove(lock);
        lock.close();
      }

      @Override
      public String toString() {
        return lock.toString();
      }
    };
  }

  @Override
  public final void close() throws IOException {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    IOException failure = null;
    List<AutoCloseable> resources = new ArrayList<>(heldLocks);
    resources.addAll(openFiles);
    heldLocks.clear();
    for (AutoCloseable resource : resources) {
      failure = closeKeepingFirst(resource, failure);
    }
    try {
      doClose();
    } catch (IOException | RuntimeException e) {
      failure = keepFirst(failure, e);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static IOException closeKeepingFirst(AutoCloseable resource, IOException failure) {
    try {
      resource.close();
      return failure;
    } catch (Exception e) {
      return keepFirst(failure, e);
    }
  }

  private static IOException keepFirst(IOException failure, Exception e) {
    if (failure == null) {
      return e instanceof IOException io ? io : new IOException(e);
    }
    failure.addSuppressed(e);
    return failure;
  }

  void register(AbstractVfsFile file) {
    openFiles.add(file);
  }

  void deregister(AbstractVfsFile file) {
    openFiles.remove(file);
  }

  /**
   * Opens or creates a file, as {@link #open(String, OpenMode)} describes.
   *
   * @param name a checked plain name
   * @param mode the open mode
   * @return the handle, constructed with this storage as its owner
   * @throws IOException as {@link Vfs#open(String, OpenMode)} describes
   */
  protected abstract AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException;

  /**
   * Lists the file names in any order; {@link #list()} sorts them.
   *
   * @return the names
   * @throws IOException on an I/O failure
   */
  protected abstract List<String> doList() throws IOException;

  /**
   * Tells whether a file exists.
   *
   * @param name a checked plain name
   * @return whether it exists
   * @throws IOException on an I/O failure
   */
  protected abstract boolean doExists(String name) throws IOException;

  /**
   * Deletes a file, as {@link Vfs#delete(String)} describes.
   *
   * @param name a checked plain name
   * @throws IOException as {@link Vfs#delete(String)} describes
   */
  protected abstract void doDelete(String name) throws IOException;

  /**
   * Renames a file atomically, as {@link Vfs#rename(String, String)} describes.
   *
   * @param source a checked plain name
   * @param target a checked plain name
   * @throws IOException as {@link Vfs#rename(String, String)} describes
   */
  protected abstract void doRename(String source, String target) throws IOException;

  /**
   * Makes directory changes durable, as {@link Vfs#syncDirectory()} describes.
   *
   * @throws IOException on an I/O failure
   */
  protected abstract void doSyncDirectory() throws IOException;

  /**
   * Takes an exclusive lock, as {@link Vfs#lock(String)} describes.
   *
   * @param name a checked plain name
   * @return the held lock
   * @throws IOException as {@link Vfs#lock(String)} describes
   */
  protected abstract VfsLock doLock(String name) throws IOException;

  /**
   * Releases what the storage itself holds, after every file and lock was closed. Called once.
   *
   * @throws IOException if releasing failed
   */
  protected void doClose() throws IOException {}
}
