package dev.wal.vfs.local;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.OutOfSpaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A handle over a {@link FileChannel}.
 *
 * <p>Design note: a {@code FileChannel} closes itself when a thread is interrupted during an
 * operation (see {@link java.nio.channels.InterruptibleChannel}), which would break the handle for
 * every thread sharing it. So a read, write,
 * size or truncate that finds the channel closed while this handle is open reopens it and retries
 * (positional I/O is idempotent), clearing the interrupt flag for the retry and restoring it
 * afterwards. A flush is never retried: it fails and poisons the handle, as any failed flush does.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class LocalVfsFile extends AbstractVfsFile {
  /** How often one call may find the channel closed by interrupts before it gives up. */
  private static final int MAX_REOPENS = 100;

  private final Path path;
  // Replaced (under the monitor) only when an interrupt closed it.
  private volatile FileChannel channel;

  LocalVfsFile(
      String name, AbstractVfs owner, Path path, FileChannel channel) {
    super(name, owner);
    this.path = path;
    this.channel = channel;
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
    }
  }

  @Override
  protected void doWrite(long offset, ByteBuffer src) throws IOException {
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
            throw outOfSpaceOrSame(e, offset, start, src);
          }
          return null;
        });
  }

  private IOException outOfSpaceOrSame(IOException e, long offset, int start, ByteBuffer src) {
    if (!isOutOfSpace(e)) {
      return e;
    }
    long written = src.position() - start;
    return new OutOfSpaceException(
        this + ": no space to write " + (src.limit() - start) + " bytes at offset " + offset
            + " (" + e.getMessage() + "); " + written + " bytes of this write reached the file",
        e);
  }

  /**
   * Tells a full disk from other failures. The JDK gives no subtype for it, only the system's
   * message: ENOSPC on Unix, ERROR_DISK_FULL on Windows, and jimfs's own when its maxSize is
   * reached.
   */
  static boolean isOutOfSpace(IOException e) {
    String message = e.getMessage();
    return message != null
        && (message.contains("No space left on device")
            || message.contains("There is not enough space on the disk")
            || (e.getClass() == IOException.class && message.equals("out of disk space")));
  }

  @Override
  protected int doRead(long offset, ByteBuffer dst) throws IOException {
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
  protected long doSize() throws IOException {
    return retrying(FileChannel::size);
  }

  @Override
  protected void doTruncate(long size) throws IOException {
    retrying(current -> current.truncate(size));
  }

  @Override
  protected void doFlush() throws IOException {
    FileChannel current = channel;
    try {
      current.force(false);
    } catch (ClosedChannelException e) {
      ensureOpen();
      // Reopen for the reads that may follow, but fail this flush: see the class note.
      synchronized (this) {
        if (channel == current) {
          channel = reopenChannel();
        }
      }
      throw new IOException(this + ": flush was interrupted, so it is not known to be done", e);
    }
  }

  private FileChannel reopenChannel() throws IOException {
    return FileChannel.open(
        path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  protected synchronized void doClose() throws IOException {
    channel.close();
  }
}
