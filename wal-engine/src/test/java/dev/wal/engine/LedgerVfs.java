package dev.wal.engine;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A test decorator that keeps the ledger of durability: for each segment file, the highest LSN
 * whose write had returned, and the highest LSN that a completed flush of that file covered (what
 * had been written when the flush began). So a test can ask, at any instant, whether a record the
 * log acknowledged was really covered by a flush ({@link #covers}). It can also fail the n-th
 * segment flush from when it is armed ({@link #failSegmentFlush}).
 *
 * <p>It reads the LSNs of the records in each write from the record headers ({@link WalFormat}).
 *
 * <p>Thread safety: safe for use by many threads; the ledger is guarded by this object, never
 * held across a call to the delegate.
 */
final class LedgerVfs extends ForwardingVfs {
  /** What the message of an injected flush failure begins with. */
  static final String INJECTED = "injected flush failure";


  /** Per segment name: the highest LSN whose write returned; guarded by this. */
  private final Map<String, Long> writtenLsns = new HashMap<>();

  /** Per segment name: the highest LSN a completed flush covered; guarded by this. */
  private final Map<String, Long> flushedLsns = new HashMap<>();

  /** Segment flushes left before the one that fails; negative: none fails. Guarded by this. */
  private int flushesBeforeFailure = -1;

  LedgerVfs(Vfs delegate) {
    super("ledger", delegate);
  }

  /** Makes the segment flush after the next {@code flushesBefore} ones fail, once. */
  synchronized void failSegmentFlush(int flushesBefore) {
    flushesBeforeFailure = flushesBefore;
  }

  /**
   * {@return whether every record up to {@code lsn} was covered by a completed flush of its
   * segment} Every segment but the newest must have been flushed whole before the next got its
   * name, so it suffices to look at the segment holding {@code lsn} and those before it.
   */
  synchronized boolean covers(long lsn) {
    if (lsn <= 0) {
      return true;
    }
    boolean written = false;
    for (Map.Entry<String, Long> segment : writtenLsns.entrySet()) {
      if (SegmentNames.parseSegmentName(segment.getKey()) <= lsn) {
        long needed = Math.min(lsn, segment.getValue()); // this segment's records up to lsn
        if (flushedLsns.getOrDefault(segment.getKey(), 0L) < needed) {
          return false;
        }
        written |= segment.getValue() >= lsn;
      }
    }
    return written;
  }

  /** {@return the highest LSN in the records of {@code src} (0 if none)} */
  private static long lastLsnIn(long offset, ByteBuffer src) {
    if (offset == 0) {
      return 0; // a segment header
    }
    ByteBuffer bytes = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = bytes.position();
    long last = 0;
    for (int at = 0; at + WalFormat.RECORD_HEADER_BYTES <= bytes.remaining(); ) {
      long lsn = bytes.getLong(base + at + WalFormat.RECORD_LSN_OFFSET);
      if (lsn == WalFormat.TRAILER_LSN) {
        break;
      }
      last = Math.max(last, lsn);
      int length = bytes.getInt(base + at + WalFormat.RECORD_LENGTH_OFFSET);
      at += (int) Layout.recordBytes(RecordDecoder.lengthOf(length));
    }
    return last;
  }

  private synchronized void written(String name, long lsn) {
    writtenLsns.merge(name, lsn, Math::max);
  }

  /** {@return the LSN a flush of {@code name} beginning now covers; throws if it is to fail} */
  private synchronized long flushBegins(String name) throws IOException {
    if (flushesBeforeFailure >= 0 && flushesBeforeFailure-- == 0) {
      throw new IOException(INJECTED + " of " + name);
    }
    return writtenLsns.getOrDefault(name, 0L);
  }

  private synchronized void flushed(String name, long covered) {
    flushedLsns.merge(name, covered, Math::max);
  }

  private synchronized void renamed(String source, String target) {
    moveEntry(writtenLsns, source, target);
    moveEntry(flushedLsns, source, target);
  }

  private static void moveEntry(Map<String, Long> map, String source, String target) {
    Long value = map.remove(source);
    if (value == null) {
      map.remove(target);
    } else {
      map.put(target, value);
    }
  }

  @Override
  AbstractVfsFile openFile(String name, VfsFile file) {
    boolean segment = SegmentNames.parseSegmentName(name) > 0;
    return new ForwardingFile(name, this, file) {
      @Override
      protected void doWrite(long offset, ByteBuffer src) throws IOException {
        long last = segment ? lastLsnIn(offset, src) : 0;
        file.write(offset, src);
        if (last > 0) {
          written(name, last);
        }
      }

      @Override
      protected void doFlush() throws IOException {
        if (!segment) {
          file.flush();
          return;
        }
        long covered = flushBegins(name);
        file.flush();
        flushed(name, covered);
      }
    };
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    delegate.rename(source, target);
    renamed(source, target);
  }
}
