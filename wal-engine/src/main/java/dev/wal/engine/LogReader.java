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
 * <p>A reader opened before a {@link WriteAheadLog#truncateAfter} throws {@link
 * IllegalStateException} from then on; one whose next record {@link WriteAheadLog#truncateBefore}
 * dropped throws an {@link IOException} saying so.
 *
 * <p>Instances are <b>not</b> thread-safe; use one reader per thread.
 */
public final class LogReader implements Closeable {
  private static final int CHUNK_BYTES = 1 << 20;

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
    this.log = log;
    this.vfs = vfs;
    this.generation = log.segments().cutGeneration();
    this.nextLsn = fromLsn;
    if (fromLsn <= log.flushedLsn()) {
      openSegmentFor(fromLsn);
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
          "truncateAfter cut the log since this reader was opened; open a new reader");
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
    scanner = SegmentScanner.open(file, name, firstLsn, CHUNK_BYTES);
    SegmentCheck seek = new SegmentCheck(scanner, Integer.MAX_VALUE);
    seek.run(lsn - 1);
    if (seek.expectedLsn != lsn) {
      throw seek.corruption("while seeking LSN " + lsn);
    }
    position = seek.position;
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
