package dev.wal.vfs;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file of a {@link Vfs}: positional reads and writes, size, truncate and flush.
 *
 * <p><b>Durability.</b> When {@link #flush()} returns, everything written to this file before the
 * call began survives a power loss (where {@link VfsCapabilities#durableFlush()} is claimed). When
 * {@code flush()} throws, nothing is promised, and this handle refuses every later write,
 * truncate and flush with {@link FlushFailedException}: the kernel may already have dropped the
 * dirty data, so a retry that succeeded would be a lie. Reopen the file to go on.
 *
 * <p><b>Errors.</b> Checked {@link IOException}s throughout; {@link OutOfSpaceException} when
 * storage is full; {@link dev.wal.AlreadyClosedException} (a {@link
 * java.nio.channels.ClosedChannelException}) after {@link #close()} or after the owning {@link Vfs}
 * was closed.
 *
 * <p><b>Thread safety.</b> Instances are safe for use by many threads: positional reads and writes
 * may run concurrently, and so may {@code flush()} and {@code write()}. Concurrent writes to
 * overlapping ranges leave those bytes in an unspecified order.
 */
public interface VfsFile extends Closeable {

  /** {@return the file's name in its {@link Vfs}} */
  String name();

  /**
   * Writes all the remaining bytes of {@code src} at {@code offset}, advancing {@code src}'s
   * position to its limit. Never writes short: it writes everything or throws (and then how much
   * reached the file is unspecified). Writing past the end extends the file; a gap between the old
   * end and {@code offset} reads back as zeros. A write of no bytes changes nothing, not even the
   * size.
   *
   * @param offset where the first byte goes; not negative
   * @param src the bytes to write, from position to limit
   * @throws OutOfSpaceException if storage is full
   * @throws FlushFailedException if an earlier flush of this handle failed
   * @throws IOException on any other I/O failure
   */
  void write(long offset, ByteBuffer src) throws IOException;

  /**
   * Reads bytes at {@code offset} into {@code dst}, from its position up to its limit, and
   * advances its position by the count read. Reads short only at the end of the file.
   *
   * @param offset where to start reading; not negative
   * @param dst where the bytes go
   * @return the number of bytes read, or -1 if {@code offset} is at or past the end of the file
   *     and {@code dst} has room
   * @throws IOException on an I/O failure
   */
  int read(long offset, ByteBuffer dst) throws IOException;

  /**
   * Reads exactly {@code dst.remaining()} bytes at {@code offset}.
   *
   * @param offset where to start reading; not negative
   * @param dst where the bytes go; filled to its limit
   * @throws EOFException if the file ends first; the message gives the offset and the sizes
   * @throws IOException on any other I/O failure
   */
  default void readFully(long offset, ByteBuffer dst) throws IOException {
    long position = offset;
    while (dst.hasRemaining()) {
      int read = read(position, dst);
      if (read < 0) {
        throw new EOFException(
            "file '"
                + name()
                + "' ends at "
                + position
                + " but "
                + dst.remaining()
                + " more bytes were wanted from offset "
                + offset);
      }
      position += read;
    }
  }

  /**
   * Returns the file's current size in bytes.
   *
   * @return the size
   * @throws IOException on an I/O failure
   */
  long size() throws IOException;

  /**
   * Cuts the file to {@code size} bytes. If {@code size} is not smaller than the current size,
   * the file is unchanged (as {@link java.nio.channels.FileChannel#truncate} does). The new size
   * is durable once {@link #flush()} returns.
   *
   * @param size the new size; not negative
   * @throws FlushFailedException if an earlier flush of this handle failed
   * @throws IOException on any other I/O failure
   */
  void truncate(long size) throws IOException;

  /**
   * Makes everything written to this file before the call durable.
   *
   * @throws FlushFailedException if an earlier flush of this handle failed
   * @throws IOException if this flush failed; the handle then refuses every later write, truncate
   *     and flush
   */
  void flush() throws IOException;

  /**
   * Closes the handle. Closing does not flush. Calling it again does nothing.
   *
   * @throws IOException if releasing the handle failed
   */
  @Override
  void close() throws IOException;
}
