package dev.wal.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * A {@link VfsFile} over a {@link FileChannel} of any {@code java.nio.file.FileSystem}: the
 * mechanism the local and memory backends share.
 *
 * <p>Design note: a {@code FileChannel} closes itself when a thread is interrupted during an
 * operation (see {@link java.nio.channels.InterruptibleChannel}), which would break the handle for
 * every thread sharing it. So a read, write, size or truncate that finds the channel closed while
 * this handle is open reopens it ({@link #reopenChannel()}) and retries (positional I/O is
 * idempotent), clearing the interrupt flag for the retry and restoring it afterwards. A flush is
 * never retried: an fsync error may have been lost with the interrupt, so it fails with an {@link
 * IOException} and poisons the handle, as any failed flush does.
 *
 * <p>Writes loop until the buffer is drained; a full disk, as {@link #isOutOfSpace(IOException)}
 * recognises it, becomes an {@link OutOfSpaceException} saying how much of the write reached the
 * file. {@code flush()} is {@code force(false)}.
 *
 * <p>Thread safety: safe for use by many threads.
 */
public abstract class ChannelVfsFile extends AbstractVfsFile {
  /** How often one call may find the channel closed by interrupts before it gives up. */
  private static final int MAX_REOPENS = 100;

  // Replaced (under the monitor) only when an interrupt closed it.
  private volatile FileChannel channel;
  // @GuardedBy("this")
  private int reopens;

  /**
   * Creates the handle.
   *
   * @param name the file's name
   * @param owner the storage that opened it
   * @param channel the open channel, readable and writable
   */
  protected ChannelVfsFile(String name, AbstractVfs owner, FileChannel channel) {
    super(name, owner);
    this.channel = channel;
  }

  /**
   * Opens the file's channel again, readable and writable, after an interrupt closed it.
   *
   * @return the new channel
   * @throws IOException if it cannot be opened
   */
  protected abstract FileChannel reopenChannel() throws IOException;

  /**
   * Describes the storage's size limit for the message of an {@link OutOfSpaceException}, for
   * example {@code "maxSize=67108864"}; the default has none.
   *
   * @return the description, or an empty string
   */
  protected String sizeLimit() {
    return "";
  }

  /**
   * Tells a full disk from other write failures. The JDK gives no subtype for it, only the
   * system's message: ENOSPC on Unix, ERROR_DISK_FULL on Windows, and jimfs's own when its
   * maximum size is reached.
   *
   * @param e a write failure
   * @return whether it means the storage is full
   */
  public static boolean isOutOfSpace(IOException e) {
    String message = e.getMessage();
    return message != null
        && (message.contains("No space left on device")
            || message.contains("There is not enough space on the disk")
            || (e.getClass() == IOException.class && message.equals("out of disk space")));
  }

  /** {@return how often the channel was reopened after an interrupt closed it} */
  protected final synchronized int reopenCount() {
    return reopens;
  }

  private interface ChannelCall<T> {
    T apply(FileChannel channel) throws IOException;
  }

  private <T> T retrying(ChannelCall<T> call) throws IOException {
    boolean interrupted = false;
    try {
      for (int attempt = 1; ; attempt++) {
        FileChannel current = channel;
        try {
          return call.apply(current);
        } catch (ClosedChannelException e) {
          interrupted |= Thread.interrupted();
          reopen(current, e, attempt);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void reopen(FileChannel closed, ClosedChannelException cause, int attempt)
      throws IOException {
    ensureOpen();
    if (attempt > MAX_REOPENS) {
      throw new IOException(
          this + ": the channel was closed by interrupts " + MAX_REOPENS + " times in one call",
          cause);
    }
    if (channel == closed) {
      channel = reopenChannel();
      reopens++;
    }
  }

  @Override
  protected final void doWrite(long offset, ByteBuffer src) throws IOException {
    int start = src.position();
    retrying(
        current -> {
          try {
            while (src.hasRemaining()) {
              current.write(src, offset + (src.position() - start));
            }
          } catch (ClosedChannelException e) {
            throw e;
          } catch (IOException e) {
            throw isOutOfSpace(e) ? outOfSpace(e, offset, start, src) : e;
          }
          return null;
        });
  }

  private OutOfSpaceException outOfSpace(IOException e, long offset, int start, ByteBuffer src) {
    long written = src.position() - start;
    return new OutOfSpaceException(
        this + ": no space to write " + (src.limit() - start) + " bytes at offset " + offset
            + " (" + e.getMessage() + (sizeLimit().isEmpty() ? "" : ", " + sizeLimit()) + "); "
            + written + " bytes of this write reached the file",
        e);
  }

  @Override
  protected final int doRead(long offset, ByteBuffer dst) throws IOException {
    int start = dst.position();
    boolean hadRoom = dst.hasRemaining();
    return retrying(
        current -> {
          while (dst.hasRemaining()) {
            if (current.read(dst, offset + (dst.position() - start)) < 0) {
              break;
            }
          }
          int read = dst.position() - start;
          return read == 0 && hadRoom ? -1 : read;
        });
  }

  @Override
  protected final long doSize() throws IOException {
    return retrying(FileChannel::size);
  }

  @Override
  protected final void doTruncate(long size) throws IOException {
    retrying(current -> current.truncate(size));
  }

  @Override
  protected final void doFlush() throws IOException {
    FileChannel current = channel;
    try {
      current.force(false);
    } catch (ClosedChannelException e) {
      ensureOpen();
      // Reopen for the reads that may follow, but fail this flush: see the class note.
      synchronized (this) {
        if (channel == current) {
          channel = reopenChannel();
          reopens++;
        }
      }
      throw new IOException(this + ": flush was interrupted, so it is not known to be done", e);
    }
  }

  @Override
  protected final synchronized void doClose() throws IOException {
    channel.close();
  }
}
