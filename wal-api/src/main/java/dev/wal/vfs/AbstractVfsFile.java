package dev.wal.vfs;

import dev.wal.AlreadyClosedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A base for {@link VfsFile} implementations that enforces the parts of the contract every
 * backend shares.
 *
 * <p>It checks arguments, fails every call after close with {@link AlreadyClosedException},
 * makes close idempotent, and poisons the handle when a flush fails: every later write, truncate
 * and flush then throws {@link FlushFailedException} with the first failure as its cause. Reads
 * keep working. Subclasses implement the {@code do*} methods.
 *
 * <p>Thread safety: this class is safe for use by many threads if the subclass's methods are.
 */
public abstract class AbstractVfsFile implements VfsFile {
  private final String name;
  private final AbstractVfs owner;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile Throwable flushFailure;

  /**
   * Creates the base and registers the handle with its owner, which closes it on its own close.
   *
   * @param name the file's name
   * @param owner the storage that opened it
   */
  protected AbstractVfsFile(String name, AbstractVfs owner) {
    this.name = Objects.requireNonNull(name, "name");
    this.owner = Objects.requireNonNull(owner, "owner");
    owner.register(this);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public String toString() {
    return "file '" + name + "' of " + owner.spec();
  }

  /**
   * Throws if this handle is closed.
   *
   * @throws AlreadyClosedException if it is
   */
  protected final void ensureOpen() throws AlreadyClosedException {
    if (!open.get()) {
      throw new AlreadyClosedException(toString());
    }
  }

  private void ensureWritable() throws IOException {
    ensureOpen();
    Throwable failure = flushFailure;
    if (failure != null) {
      throw new FlushFailedException(name, failure);
    }
  }

  private static void checkOffset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset (" + offset + ") must not be negative");
    }
  }

  @Override
  public final void write(long offset, ByteBuffer src) throws IOException {
    checkOffset(offset);
    Objects.requireNonNull(src, "src");
    if (offset + src.remaining() < 0) {
      throw new IllegalArgumentException(
          "write of " + src.remaining() + " bytes at offset " + offset + " overflows a long");
    }
    ensureWritable();
    doWrite(offset, src);
  }

  @Override
  public final int read(long offset, ByteBuffer dst) throws IOException {
    checkOffset(offset);
    Objects.requireNonNull(dst, "dst");
    ensureOpen();
    return doRead(offset, dst);
  }

  @Override
  public final long size() throws IOException {
    ensureOpen();
    return doSize();
  }

  @Override
  public final void truncate(long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("size (" + size + ") must not be negative");
    }
    ensureWritable();
    doTruncate(size);
  }

  @Override
  public final void flush() throws IOException {
    ensureWritable();
    try {
      doFlush();
    } catch (ClosedChannelException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      flushFailure = e;
      throw e;
    }
  }

  /**
   * Poisons this handle as a failed flush does; for backends that learn of a lost write some
   * other way.
   *
   * @param failure the cause every later write, truncate and flush will carry
   */
  protected final void markFlushFailed(Throwable failure) {
    flushFailure = Objects.requireNonNull(failure, "failure");
  }

  @Override
  public final void close() throws IOException {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    owner.deregister(this);
    doClose();
  }

  /**
   * Writes all of {@code src} at {@code offset}, as {@link VfsFile#write} describes: looping until
   * nothing remains, or throwing.
   *
   * @param offset a non-negative offset
   * @param src the bytes
   * @throws IOException on an I/O failure
   */
  protected abstract void doWrite(long offset, ByteBuffer src) throws IOException;

  /**
   * Reads into {@code dst}, as {@link VfsFile#read} describes.
   *
   * @param offset a non-negative offset
   * @param dst where the bytes go
   * @return the count read, or -1 at or past the end
   * @throws IOException on an I/O failure
   */
  protected abstract int doRead(long offset, ByteBuffer dst) throws IOException;

  /**
   * Returns the size.
   *
   * @return the size in bytes
   * @throws IOException on an I/O failure
   */
  protected abstract long doSize() throws IOException;

  /**
   * Truncates, as {@link VfsFile#truncate} describes.
   *
   * @param size a non-negative size
   * @throws IOException on an I/O failure
   */
  protected abstract void doTruncate(long size) throws IOException;

  /**
   * Makes written data durable, as {@link VfsFile#flush} describes.
   *
   * @throws IOException on an I/O failure; the base then poisons the handle
   */
  protected abstract void doFlush() throws IOException;

  /**
   * Releases the handle. Called once.
   *
   * @throws IOException if releasing failed
   */
  protected abstract void doClose() throws IOException;
}
