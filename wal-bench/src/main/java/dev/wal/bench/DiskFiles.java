package dev.wal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * File operations shared by the contenders that measure the disk itself, without the Vfs layer:
 * the same {@code FileChannel} calls the local backend makes, so the two are comparable.
 *
 * <p>Records are framed as a little-endian 32-bit length followed by the payload, so that a scan
 * can find them again.
 */
final class DiskFiles {
  /** Bytes of the length that precedes each record's payload. */
  static final int FRAME_HEADER_BYTES = Integer.BYTES;

  private static final int FILL_CHUNK_BYTES = 1 << 20;

  private DiskFiles() {}

  /**
   * Creates a new file for reading and writing.
   *
   * @param path where; the file must not exist
   * @return the open channel
   * @throws IOException if the file exists or cannot be created
   */
  static FileChannel createNew(Path path) throws IOException {
    return FileChannel.open(
        path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /**
   * Writes all of {@code src} at {@code offset}, looping as a positional write may be short.
   *
   * @param channel the file
   * @param offset where the first byte goes
   * @param src the bytes, from position to limit; consumed
   * @throws IOException if writing fails
   */
  static void writeFully(FileChannel channel, long offset, ByteBuffer src) throws IOException {
    long position = offset;
    while (src.hasRemaining()) {
      position += channel.write(src, position);
    }
  }

  /**
   * Fills the file with {@code bytes} zeros and forces data and metadata, so that later writes
   * inside it change no file size and allocate no block: what a log's preallocated segment gives.
   * Writing zeros, rather than reserving space, matters: on ext4 a reserved but unwritten extent
   * is converted on its first write, a metadata change that a later flush must commit.
   *
   * @param channel an empty file
   * @param bytes the size to fill
   * @throws IOException if writing or forcing fails
   */
  static void preallocate(FileChannel channel, long bytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(FILL_CHUNK_BYTES);
    for (long offset = 0; offset < bytes; offset += FILL_CHUNK_BYTES) {
      zeros.clear().limit((int) Math.min(FILL_CHUNK_BYTES, bytes - offset));
      writeFully(channel, offset, zeros);
    }
    channel.force(true);
  }

  /**
   * Returns a direct buffer in the frame byte order.
   *
   * @param capacity its capacity in bytes
   * @return the buffer
   */
  static ByteBuffer frameBuffer(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Appends one framed record to {@code frames}.
   *
   * @param frames where the frame goes; must have room for it
   * @param record the payload, from position to limit; consumed
   */
  static void putFrame(ByteBuffer frames, ByteBuffer record) {
    frames.putInt(record.remaining()).put(record);
  }
}
