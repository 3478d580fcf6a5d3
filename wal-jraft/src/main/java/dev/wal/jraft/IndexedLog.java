package dev.wal.jraft;

import dev.wal.engine.LogReader;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.Closeable;
import java.io.IOException;

/**
 * The engine's log addressed by Raft index: records at consecutive indexes from {@link
 * #firstIndex()} to {@link #lastIndex()}, with the durable operations a Raft log needs (cut the
 * tail, drop the head, start again at any index). Knows nothing of SOFAJRaft's entries.
 *
 * <p><b>Design note.</b> The engine has no durable {@code reset(nextLsn)} nor logical first LSN yet
 * (ENGINE-NEEDS.md), so this class keeps an {@link IndexWindow} beside the segments: index = LSN +
 * offset. Every change writes the window before it changes the segments, so a crash between the
 * two leaves a log that {@link #open} completes: segments below the first index are dropped again,
 * and a window ahead of the segments reads as an empty log at its first index. When the engine has
 * those operations this class calls them and the window goes.
 *
 * <p>Thread safety: {@link #firstIndex()}, {@link #lastIndex()} and {@link #read} may be called
 * from many threads; everything else by one thread at a time, which the caller ensures, as it
 * ensures that no read runs during a change other than {@link #append}.
 */
final class IndexedLog implements Closeable {
  private final String spec;
  private final Vfs vfs;
  private final WriteAheadLog log;
  private final EntryReader reader;
  private volatile IndexWindow window;
  private volatile long lastIndex;

  private IndexedLog(String spec, Vfs vfs, WriteAheadLog log) {
    this.spec = spec;
    this.vfs = vfs;
    this.log = log;
    this.reader = new EntryReader(log);
  }

  /**
   * Opens the log in {@code vfs}, recovering it and completing a change a crash interrupted.
   *
   * @param vfs the storage, owned by the returned log from now on (closed on failure too)
   * @throws IOException if recovery fails or the window and the segments disagree
   */
  static IndexedLog open(String spec, Vfs vfs, WalConfig config) throws IOException {
    IndexedLog opened = null;
    try {
      opened = new IndexedLog(spec, vfs, WriteAheadLog.open(vfs, config));
      opened.recover();
      return opened;
    } catch (IOException | RuntimeException e) {
      try {
        if (opened != null) {
          opened.close();
        } else {
          vfs.close();
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void recover() throws IOException {
    window = IndexWindow.read(vfs);
    long firstLsn = Math.min(window.lsn(window.firstIndex()), log.lastLsn() + 1);
    if (log.firstLsn() < firstLsn) {
      log.truncateBefore(firstLsn);
    }
    lastIndex = Math.max(window.firstIndex() - 1, window.index(log.lastLsn()));
    if (lastIndex >= window.firstIndex() && window.lsn(window.firstIndex()) < log.firstLsn()) {
      throw new IOException(
          spec + ": the log starts at LSN " + log.firstLsn() + " but its first index "
              + window.firstIndex() + " is LSN " + window.lsn(window.firstIndex()));
    }
  }

  /** {@return the first index; the log is empty when it is above {@link #lastIndex()}} */
  long firstIndex() {
    return window.firstIndex();
  }

  /** {@return the last index whose record is durable} */
  long lastIndex() {
    return lastIndex;
  }

  /** {@return whether the log holds no record} */
  boolean isEmpty() {
    return lastIndex < window.firstIndex();
  }

  /** {@return whether the next append may start at {@code index} without moving the log} */
  boolean appendsAt(long index) {
    return index == lastIndex + 1 && window.lsn(index) == log.lastLsn() + 1;
  }

  /**
   * Reads the payload of the record at {@code index}, which must be in the log.
   *
   * @throws IOException on an I/O failure or damage
   */
  byte[] read(long index) throws IOException {
    return reader.read(window.lsn(index));
  }

  /**
   * Opens a reader at {@code index}, which must be in the log, for one pass in order; {@link
   * #index} turns its LSNs into indexes.
   */
  LogReader readerAt(long index) throws IOException {
    return log.reader(window.lsn(index));
  }

  /** {@return the index of a record read with {@link #readerAt}} */
  long index(long lsn) {
    return window.index(lsn);
  }

  /**
   * Appends records at {@code lastIndex() + 1} on, one flush for all, and publishes them once
   * durable. A crash may keep a prefix of them.
   *
   * @throws IllegalStateException if the engine gave a record another index (the log is then
   *     unusable)
   */
  void append(byte[][] payloads, long[] tags) throws IOException {
    long first = lastIndex + 1;
    long lsn = 0;
    for (int i = 0; i < payloads.length; i++) {
      lsn = log.appendNoWait(payloads[i], tags[i]);
      if (window.index(lsn) != first + i) {
        throw new IllegalStateException(
            spec + ": the record of index " + (first + i) + " got LSN " + lsn + ", which is index " + window.index(lsn));
      }
    }
    log.waitFor(lsn);
    lastIndex = first + payloads.length - 1;
  }

  /** Cuts the records after {@code lastIndexKept}, from {@code firstIndex() - 1} (all) on. */
  void cutAfter(long lastIndexKept) throws IOException {
    if (lastIndexKept < lastIndex) {
      log.truncateAfter(window.lsn(lastIndexKept));
      lastIndex = lastIndexKept;
      reader.invalidate();
    }
  }

  /**
   * Makes {@code firstIndexKept} the first index, durably: the records before it go (whole
   * segments of them at once); past the end, the log is left empty and starts there.
   */
  void keepFrom(long firstIndexKept) throws IOException {
    if (firstIndexKept <= window.firstIndex()) {
      return;
    }
    if (firstIndexKept > lastIndex + 1 || window.lsn(firstIndexKept) > log.lastLsn() + 1) {
      restartAt(firstIndexKept);
    } else {
      IndexWindow moved = new IndexWindow(firstIndexKept, window.lsnOffset());
      moved.write(vfs);
      window = moved;
    }
    log.truncateBefore(Math.min(window.lsn(firstIndexKept), log.lastLsn() + 1));
    reader.invalidate();
  }

  /** Drops every record, durably, and makes the log start at {@code firstIndex}. */
  void reset(long firstIndex) throws IOException {
    log.truncateAfter(log.firstLsn() - 1);
    restartAt(firstIndex);
  }

  /**
   * Makes the log an empty one starting at {@code firstIndex}, whose next record gets the engine's
   * next LSN; records still in the engine fall below it.
   */
  void restartAt(long firstIndex) throws IOException {
    IndexWindow moved = new IndexWindow(firstIndex, firstIndex - (log.lastLsn() + 1));
    moved.write(vfs);
    window = moved;
    lastIndex = firstIndex - 1;
    reader.invalidate();
  }

  /** Closes the reader, the engine's log and the storage, keeping the first failure. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Closeable resource : new Closeable[] {reader, log, vfs}) {
      try {
        resource.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return spec;
  }
}
