package dev.wal.engine;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Vfs} that forwards every call to another, for the engine's test decorators to override
 * the calls they watch, hold or break: {@link #openFile} for a file's calls (returning a {@link
 * ForwardingFile} subclass), the {@code do*} methods for the directory's.
 */
abstract class ForwardingVfs extends AbstractVfs {
  final Vfs delegate;

  /**
   * @param scheme what the spec starts with, before the delegate's spec
   * @param delegate the storage every call goes to
   */
  ForwardingVfs(String scheme, Vfs delegate) {
    super(scheme + ":" + delegate.spec(), delegate.capabilities());
    this.delegate = delegate;
  }

  /**
   * Holds the calling storage operation until the test opens {@code gate}, as a slow disk would;
   * fails the operation if that takes over a minute or the thread is interrupted.
   *
   * @param what what is held, for the failure's message (for example "the spare's writes")
   */
  static void holdAt(CountDownLatch gate, String what) throws IOException {
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new IOException("the test never released " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while holding " + what, e);
    }
  }

  /** {@return the handle for {@code file}, opened as {@code name} in the delegate} */
  AbstractVfsFile openFile(String name, VfsFile file) {
    return new ForwardingFile(name, this, file);
  }

  @Override
  protected final AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    return openFile(name, delegate.open(name, mode));
  }

  @Override
  protected List<String> doList() throws IOException {
    return delegate.list();
  }

  @Override
  protected boolean doExists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  protected void doDelete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    delegate.rename(source, target);
  }

  @Override
  protected void doSyncDirectory() throws IOException {
    delegate.syncDirectory();
  }

  @Override
  protected VfsLock doLock(String name) throws IOException {
    return delegate.lock(name);
  }

  /** A file handle that forwards every call to the delegate's handle. */
  static class ForwardingFile extends AbstractVfsFile {
    final VfsFile file;

    ForwardingFile(String name, AbstractVfs owner, VfsFile file) {
      super(name, owner);
      this.file = file;
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) throws IOException {
      file.write(offset, src);
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) throws IOException {
      return file.read(offset, dst);
    }

    @Override
    protected long doSize() throws IOException {
      return file.size();
    }

    @Override
    protected void doTruncate(long size) throws IOException {
      file.truncate(size);
    }

    @Override
    protected void doFlush() throws IOException {
      file.flush();
    }

    @Override
    protected void doClose() throws IOException {
      file.close();
    }
  }
}
