package dev.wal.bench;

import com.google.common.base.Preconditions;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Framed records copied into a 1 MiB buffer, written to a growing file whenever it fills, and
 * forced on {@link #flush()}; the scan reads 1 MiB at a time and walks the frames. The disk's and
 * memory's limit for the buffered and recovery workloads. Not thread-safe.
 */
final class SequentialFileStore implements Store {
  /** The size of each write and each read. */
  static final int CHUNK_BYTES = 1 << 20;

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buffer = DiskFiles.frameBuffer(CHUNK_BYTES);
  private long position;

  private SequentialFileStore(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Creates the file.
   *
   * @param path where; must not exist
   * @param recordBytes the payload size, at most a chunk less a frame header
   * @return the store
   * @throws IOException if the file cannot be created
   */
  static SequentialFileStore create(Path path, int recordBytes) throws IOException {
    Preconditions.checkArgument(
        recordBytes <= CHUNK_BYTES - DiskFiles.FRAME_HEADER_BYTES,
        "recordBytes (%s) must fit a %s-byte chunk with its frame header",
        recordBytes,
        CHUNK_BYTES);
    return new SequentialFileStore(path, DiskFiles.createNew(path));
  }

  @Override
  public void append(ByteBuffer record) throws IOException {
    appendNoWait(record);
    flush();
  }

  @Override
  public void appendNoWait(ByteBuffer record) throws IOException {
    if (buffer.remaining() < DiskFiles.FRAME_HEADER_BYTES + record.remaining()) {
      drain();
    }
    DiskFiles.putFrame(buffer, record);
  }

  private void drain() throws IOException {
    buffer.flip();
    long offset = position;
    position += buffer.remaining();
    DiskFiles.writeFully(channel, offset, buffer);
    buffer.clear();
  }

  @Override
  public void flush() throws IOException {
    drain();
    channel.force(false);
  }

  @Override
  public Scan reopen() throws IOException {
    drain();
    channel.close();
    return new ChunkScan(FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Reads the file a chunk at a time; a frame may straddle two chunks. */
  private static final class ChunkScan implements Scan {
    private final FileChannel channel;
    private final ByteBuffer chunk = DiskFiles.frameBuffer(CHUNK_BYTES).limit(0);
    private long readPosition;

    ChunkScan(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int next() throws IOException {
      if (!ensure(DiskFiles.FRAME_HEADER_BYTES)) {
        return -1;
      }
      int length = chunk.getInt(chunk.position());
      if (!ensure(DiskFiles.FRAME_HEADER_BYTES + length)) {
        throw new EOFException("record at the end of the file is cut short");
      }
      chunk.position(chunk.position() + DiskFiles.FRAME_HEADER_BYTES + length);
      return length;
    }

    /** Makes {@code bytes} bytes available; false if the file ends cleanly before any. */
    private boolean ensure(int bytes) throws IOException {
      if (chunk.remaining() >= bytes) {
        return true;
      }
      chunk.compact();
      while (chunk.hasRemaining()) {
        int read = channel.read(chunk, readPosition);
        if (read < 0) {
          break;
        }
        readPosition += read;
      }
      chunk.flip();
      if (chunk.remaining() >= bytes) {
        return true;
      }
      if (chunk.hasRemaining()) {
        throw new EOFException("record at the end of the file is cut short");
      }
      return false;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
