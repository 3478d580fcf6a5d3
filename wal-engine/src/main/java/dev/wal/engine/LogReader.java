package dev.wal.engine;

import dev.wal.AlreadyClosedException;
import dev.wal.CorruptLogException;
import dev.wal.LogRecord;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a log's records in LSN order, from a given LSN on, across segments. Get one with {@link
 * WriteAheadLog#reader(long)}.
 *
 * <p>A reader sees only durable records: {@link #next()} returns null when the next record is not
 * durable yet, and can be called again later, while appends go on. It checks every record's
 * checksum and LSN, so damage is reported as {@link CorruptLogException}, never returned as data.
 *
 * <p>Reading allocates nothing per record: {@link #next()} returns the same {@link LogRecord}
 * each time, re-pointed at the record just read; its payload is valid until the next call. Copy
 * what you keep.
 *
 * <p>A point read by LSN is {@link #seek} then {@link #next()}: a segment's sparse index leads
 * the reader near the record, so it never scans the segment from its start, and the open file is
 * reused while reads stay in one segment.
 *
 * <p>A reader opened before a {@link WriteAheadLog#truncateAfter} or {@link
 * WriteAheadLog#reset} throws {@link IllegalStateException} from then on; one whose next record
 * {@link WriteAheadLog#truncateBefore} dropped throws an {@link IOException} saying so.
 *
 * <p>Instances are <b>not</b> thread-safe; use one reader per thread.
 */
public final class LogReader implements Closeable {
  private static final int CHUNK_BYTES = 1 << 20;

  /**
   * The chunk of a reader made for one point read: a stride of the index and a record, not a
   * megabyte (the chunk grows for a larger record).
   */
  static final int POINT_READ_CHUNK_BYTES = 2 * SegmentIndex.STRIDE_BYTES;

  private final int chunkBytes;

  private final WriteAheadLog log;
  private final Vfs vfs;
  private final long generation;
  private final Flyweight record = new Flyweight();
  private long nextLsn;
  private VfsFile file;
  private SegmentScanner scanner;
  private long position;
  private boolean closed;

  LogReader(WriteAheadLog log, Vfs vfs, long fromLsn) throws IOException {
    this(log, vfs, fromLsn, CHUNK_BYTES);
  }

  LogReader(WriteAheadLog log, Vfs vfs, long fromLsn, int chunkBytes) throws IOException {
    this.log = log;
    this.chunkBytes = chunkBytes;
    this.vfs = vfs;
    this.generation = log.segments().cutGeneration();
    this.nextLsn = fromLsn;
    if (fromLsn <= log.flushedLsn()) {
      openSegmentFor(fromLsn);
    }
  }

  /** {@return a copy of {@code record} that stays valid after the reader moves on} */
  static LogRecord copyOf(LogRecord record) {
    return new Copy(record.lsn(), record.tag(), record.payloadBytes());
  }

  private record Copy(long lsn, long tag, byte[] bytes) implements LogRecord {
    @Override
    public ByteBuffer payload() {
      return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
  }

  /** {@return the LSN of the record the next successful {@link #next()} returns} */
  public long nextLsn() {
    return nextLsn;
  }

  /**
   * Reads the next record if it is durable.
   *
   * @return the record (the same instance every time, re-pointed), or null if the next record is
   *     not durable yet
   * @throws CorruptLogException if the bytes where the record should be are damaged
   * @throws IllegalStateException if {@code truncateAfter} ran since this reader was opened
   * @throws AlreadyClosedException if this reader or its log is closed
   * @throws IOException on an I/O failure, or if the record was truncated away
   */
  public LogRecord next() throws IOException {
    ensureUsable();
    if (nextLsn > log.flushedLsn()) {
      return null;
    }
    if (scanner == null) {
      openSegmentFor(nextLsn);
    }
    RecordDecoder decoder = scanner.decoder();
    boolean reread = false;
    while (true) {
      int status = scanner.decodeAt(position, Integer.MAX_VALUE);
      if (status != RecordDecoder.VALID && !reread) {
        // The chunk may have been read before the record was written: read the file again.
        scanner.forget();
        reread = true;
        continue;
      }
      if (status == RecordDecoder.ZEROS) {
        openSegmentFor(nextLsn); // the record must start the next segment
        decoder = scanner.decoder();
        reread = false;
        continue;
      }
      if (status != RecordDecoder.VALID) {
        throw new CorruptLogException(
            scanner.name(), position, "a damaged record where LSN " + nextLsn + " was expected");
      }
      if (decoder.isTrailer()) {
        position += decoder.recordBytes();
        reread = false;
        continue;
      }
      if (decoder.lsn != nextLsn) {
        throw new CorruptLogException(
            scanner.name(),
            position,
            "a record with LSN " + decoder.lsn + " where LSN " + nextLsn + " was expected");
      }
      int payloadIndex = scanner.index(position) + WalFormat.RECORD_HEADER_BYTES;
      record.point(scanner.chunk(), decoder.lsn, decoder.tag, payloadIndex, decoder.length);
      position += decoder.recordBytes();
      nextLsn++;
      return record;
    }
  }

  private void ensureUsable() throws IOException {
    if (closed) {
      throw new AlreadyClosedException("reader of log " + vfs.spec());
    }
    log.ensureOpen();
    if (log.segments().cutGeneration() != generation) {
      throw new IllegalStateException(
          "truncateAfter or reset cut the log since this reader was opened; open a new reader");
    }
  }

  /**
   * Moves the reader so that the next successful {@link #next()} returns the record with LSN
   * {@code lsn}: a point read by LSN, starting from the segment's {@link SegmentIndex} rather than
   * its first record, and reusing the open file when {@code lsn} is in the same segment.
   *
   * @param lsn the LSN to read next: from {@link WriteAheadLog#firstLsn()} to {@link
   *     WriteAheadLog#lastLsn()} + 1
   * @throws IllegalArgumentException if {@code lsn} was truncated away or does not exist yet
   * @throws IllegalStateException if {@code truncateAfter} or {@code reset} ran since this reader
   *     was opened
   * @throws CorruptLogException if the bytes on the way to the record are damaged
   * @throws IOException on an I/O failure
   */
  public void seek(long lsn) throws IOException {
    ensureUsable();
    log.checkReadable(lsn);
    nextLsn = lsn;
    if (lsn > log.flushedLsn()) {
      closeFile(); // reopened by next() once the record is durable
      return;
    }
    long firstLsn = Segments.segmentFor(log.segments().snapshot(), lsn);
    if (scanner == null || scanner.header().firstLsn() != firstLsn) {
      closeFile();
      openSegmentFor(lsn);
      return;
    }
    if (!positionAt(lsn)) {
      scanner.forget(); // the chunk was read before the record was written: read it again
      if (!positionAt(lsn)) {
        throw new CorruptLogException(
            scanner.name(), position, "the segment's records end before LSN " + lsn);
      }
    }
  }

  /** Opens the segment holding {@code lsn} and positions at the record with that LSN. */
  private void openSegmentFor(long lsn) throws IOException {
    long[] firstLsns = log.segments().snapshot();
    long firstLsn = Segments.segmentFor(firstLsns, lsn);
    if (firstLsn < 0) {
      throw new IOException(
          "LSN " + lsn + " was truncated away; the log starts at LSN " + log.firstLsn());
    }
    if (scanner != null && scanner.header().firstLsn() == firstLsn) {
      throw new CorruptLogException(
          scanner.name(), position, "the segment ends before LSN " + lsn + ", which is durable");
    }
    closeFile();
    String name = SegmentNames.segmentName(firstLsn);
    file = vfs.open(name, Vfs.OpenMode.EXISTING);
    scanner = SegmentScanner.open(file, name, firstLsn, chunkBytes);
    if (!positionAt(lsn)) {
      throw new CorruptLogException(
          name, position, "the segment's records end before LSN " + lsn + ", which is durable");
    }
  }

  /**
   * Reads forward to record {@code lsn} from the indexed record at or before it.
   *
   * @return whether it was found; {@link #position} is then its offset
   */
  private boolean positionAt(long lsn) throws IOException {
    SegmentCheck seek = new SegmentCheck(scanner, Integer.MAX_VALUE);
    SegmentIndex index = log.segments().indexFor(lsn);
    long[] floor = index == null ? null : index.floor(lsn);
    if (floor != null && index.firstLsn() == scanner.header().firstLsn()) {
      seek.startAt(floor[1], floor[0]);
    }
    seek.run(lsn - 1);
    position = seek.position;
    return seek.expectedLsn == lsn;
  }

  private void closeFile() throws IOException {
    scanner = null;
    if (file != null) {
      VfsFile old = file;
      file = null;
      old.close();
    }
  }

  /** Closes the reader's file handle. Calling it again does nothing. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      closeFile();
    }
  }

  /** The reused record: a read-only view of the reader's chunk buffer. */
  private static final class Flyweight implements LogRecord {
    private ByteBuffer source;
    private ByteBuffer view;
    private long lsn;
    private long tag;

    void point(ByteBuffer chunk, long lsn, long tag, int payloadIndex, int length) {
      if (chunk != source) {
        source = chunk;
        view = chunk.asReadOnlyBuffer();
      }
      view.clear().position(payloadIndex).limit(payloadIndex + length);
      this.lsn = lsn;
      this.tag = tag;
    }

    @Override
    public long lsn() {
      return lsn;
    }

    @Override
    public long tag() {
      return tag;
    }

    @Override
    public ByteBuffer payload() {
      return view;
    }
  }
}
