package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;
import static dev.wal.engine.WalFormat.SEGMENT_HEADER_BYTES;

import dev.wal.CorruptLogException;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the records of one segment file through a large chunk buffer, so that scanning costs one
 * read call per chunk, not per record. Recovery and readers both use it.
 *
 * <p>Instances are <b>not</b> thread-safe.
 */
final class SegmentScanner {
  /** The largest segment file a log writes: the largest segment, and a repair's last block. */
  static final long LARGEST_SEGMENT_BYTES = WalConfig.MAX_SEGMENT_BYTES + WalFormat.MAX_BLOCK_BYTES;

  private final VfsFile file;
  private final String name;
  private final SegmentHeader header;
  private final RecordDecoder decoder = new RecordDecoder();
  private ByteBuffer chunk;
  private long chunkStart;
  private int chunkAvailable;
  private long fileSize;

  private SegmentScanner(VfsFile file, String name, SegmentHeader header, int chunkBytes)
      throws IOException {
    this.file = file;
    this.name = name;
    this.header = header;
    this.chunk = Buffers.allocateAligned(chunkBytes);
    this.decoder.salt(header.salt());
    this.decoder.previousSalt(header.previousSalt());
    this.fileSize = file.size();
    this.chunkStart = 0;
    this.chunkAvailable = 0;
  }

  /**
   * Opens a scanner over segment {@code name}, reading and checking its header.
   *
   * @throws CorruptLogException if the file is shorter than a header or longer than any segment,
   *     or the header is damaged
   */
  static SegmentScanner open(VfsFile file, String name, long firstLsn, int chunkBytes)
      throws IOException {
    long size = file.size();
    if (size < SEGMENT_HEADER_BYTES) {
      throw new CorruptLogException(
          name, size, "segment of " + size + " bytes is shorter than its header (file truncated?)");
    }
    if (size > LARGEST_SEGMENT_BYTES) {
      // Else a sparse file of a terabyte would be read to its end, a hang in all but name.
      throw new CorruptLogException(
          name, LARGEST_SEGMENT_BYTES, "segment of " + size + " bytes, larger than any log writes ("
              + LARGEST_SEGMENT_BYTES + "; not a segment?)");
    }
    ByteBuffer headerBytes =
        ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    file.readFully(0, headerBytes);
    SegmentHeader header = SegmentHeader.decode(name, firstLsn, headerBytes.clear());
    return new SegmentScanner(file, name, header, chunkBytes);
  }

  SegmentHeader header() {
    return header;
  }

  String name() {
    return name;
  }

  VfsFile file() {
    return file;
  }

  long fileSize() {
    return fileSize;
  }

  RecordDecoder decoder() {
    return decoder;
  }

  /** {@return where the first batch starts} */
  long dataOffset() {
    return Layout.dataOffset(header.blockBytes());
  }

  /**
   * Decodes the record at file offset {@code offset}, reading from the file as needed. A record
   * that runs past the end of the file is {@link RecordDecoder#DAMAGED}; a header that does not
   * fit before the end is {@link RecordDecoder#ZEROS} if the bytes that are there are zeros.
   *
   * @return {@link RecordDecoder#VALID}, {@link RecordDecoder#ZEROS}, {@link
   *     RecordDecoder#DAMAGED} or {@link RecordDecoder#STALE}
   */
  int decodeAt(long offset, long maxLength) throws IOException {
    if (!covers(offset, RECORD_HEADER_BYTES)) {
      refill(offset, RECORD_HEADER_BYTES);
    }
    int status = decode(offset, maxLength);
    if (status == RecordDecoder.INCOMPLETE && !chunkReachesEnd()) {
      int needed = RECORD_HEADER_BYTES;
      if (covers(offset, RECORD_HEADER_BYTES)) {
        // decode() returned INCOMPLETE after checking the length: 0 <= length <= the file's rest
        int lengthField = chunk.getInt(index(offset) + WalFormat.RECORD_LENGTH_OFFSET);
        needed += RecordDecoder.lengthOf(lengthField);
      }
      refill(offset, needed);
      status = decode(offset, maxLength);
    }
    if (status == RecordDecoder.INCOMPLETE) {
      return fileSize - offset < RECORD_HEADER_BYTES && zerosUpToEnd(offset)
          ? RecordDecoder.ZEROS
          : RecordDecoder.DAMAGED;
    }
    return status;
  }

  private int decode(long offset, long maxLength) {
    // A record occupies its aligned size: one whose alignment bytes are past the end is torn.
    long room = Layout.alignDown(fileSize - offset, WalFormat.RECORD_ALIGNMENT);
    // No configuration writes a larger record: a larger length is garbage, never an allocation.
    long limit =
        Math.min(Math.min(maxLength, WalConfig.LARGEST_RECORD_BYTES), room - RECORD_HEADER_BYTES);
    return decoder.decode(chunk, index(offset), chunkAvailable, limit);
  }

  private boolean zerosUpToEnd(long offset) {
    for (int i = index(offset); i < chunkAvailable; i++) {
      if (chunk.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** {@return the 8 bytes at {@code offset} (which must be before the end of the file - 8)} */
  long longAt(long offset) throws IOException {
    if (!covers(offset, 8)) {
      refill(offset, 8);
    }
    return chunk.getLong(index(offset));
  }

  /**
   * {@return the first multiple of 8 at or after {@code from} whose 8 bytes (or fewer, at the end
   * of the file) are not all zero, or the file size if there is none} Reads chunk by chunk; the
   * scan of a zeroed tail costs no decoding.
   */
  long skipZeros(long from) throws IOException {
    long offset = from;
    while (offset + 8 <= fileSize) {
      if (!covers(offset, 8)) {
        refill(offset, 8);
        if (!covers(offset, 8)) {
          break;
        }
      }
      int i = index(offset);
      int end = chunkAvailable - 8;
      while (i <= end) {
        if (chunk.getLong(i) != 0) {
          return chunkStart + i;
        }
        i += 8;
      }
      offset = chunkStart + i;
    }
    if (offset < fileSize) {
      // Fewer than 8 bytes left: junk there must count too, or it outlives a repair.
      int rest = (int) Math.min(8, fileSize - offset);
      if (!covers(offset, rest)) {
        refill(offset, rest);
      }
      if (!zerosUpToEnd(offset)) {
        return offset;
      }
    }
    return fileSize;
  }

  /** {@return the chunk buffer holding the last decoded record; valid until the next decode} */
  ByteBuffer chunk() {
    return chunk;
  }

  /** {@return the index in {@link #chunk()} of file offset {@code offset}} */
  int index(long offset) {
    return (int) (offset - chunkStart);
  }

  /** Drops what was read, so that the next decode reads the file again (it may have grown). */
  void forget() throws IOException {
    chunkAvailable = 0;
    chunkStart = 0;
    fileSize = file.size();
  }

  private boolean covers(long offset, int bytes) {
    return offset >= chunkStart && offset + bytes <= chunkStart + chunkAvailable;
  }

  private boolean chunkReachesEnd() {
    return chunkStart + chunkAvailable >= fileSize;
  }

  private void refill(long offset, int minBytes) throws IOException {
    if (minBytes > chunk.capacity()) {
      chunk = Buffers.allocateAligned(Layout.alignUp(minBytes, WalFormat.MAX_BLOCK_BYTES));
    }
    chunk.clear();
    long position = offset;
    while (chunk.hasRemaining()) {
      int read = file.read(position, chunk);
      if (read < 0) {
        break;
      }
      position += read;
    }
    chunkStart = offset;
    chunkAvailable = chunk.position();
    chunk.position(0).limit(chunkAvailable);
    if (chunkAvailable > 0) { // the file grew; a read past the end leaves the size as it was
      fileSize = Math.max(fileSize, position);
    }
  }
}
