package dev.wal.jraft;

import dev.wal.LogEntry;
import dev.wal.engine.RecoveryListener;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;

/**
 * The engine's log addressed by Raft index, which is the LSN: records at consecutive indexes from
 * {@link #firstIndex()} to {@link #lastIndex()}, with the durable operations a Raft log needs, each
 * one call of the engine (cut the tail, drop the head, start again at any index, append a batch
 * atomically). Knows nothing of SOFAJRaft's entries.
 *
 * <p><b>Logs of an earlier layout.</b> Before the engine had {@code reset} and an exact first LSN,
 * wal-jraft kept a file {@value #LEGACY_WINDOW_FILE} beside the segments (Raft index = LSN +
 * offset). Such a log was never released; {@link #open} refuses it rather than read its records at
 * the wrong indexes.
 *
 * <p>Thread safety: {@link #firstIndex()}, {@link #lastIndex()} and {@link #read} may be called
 * from many threads; everything else by one thread at a time, which the caller ensures, as it
 * ensures that no read runs during {@link #cutAfter}, {@link #keepFrom} or {@link #reset}.
 */
final class IndexedLog implements Closeable {
  /** The file of the earlier layout, refused by {@link #open}. */
  static final String LEGACY_WINDOW_FILE = "jraft-window";

  private final String spec;
  private final Vfs vfs;
  private final WriteAheadLog log;
  private final EntryReader reader;
  /** The largest group one atomic append may take; larger batches are split. */
  private final long maxGroupBytes;
  /** Published once the records up to it are durable: reads never see a record that is not. */
  private volatile long lastIndex;

  private IndexedLog(String spec, Vfs vfs, WriteAheadLog log, WalConfig config) {
    this.spec = spec;
    this.vfs = vfs;
    this.log = log;
    this.reader = new EntryReader(log);
    this.maxGroupBytes = config.segmentBytes() / 4;
    this.lastIndex = log.lastLsn();
  }

  /**
   * Opens the log in {@code vfs}, recovering it.
   *
   * @param vfs the storage, owned by the returned log from now on (closed on failure too)
   * @param listener told the index and tag of every record as recovery checks it
   * @throws IOException if recovery fails, or the storage holds a log of the earlier layout
   */
  static IndexedLog open(String spec, Vfs vfs, WalConfig config, RecoveryListener listener)
      throws IOException {
    WriteAheadLog log = null;
    try {
      for (String name : new String[] {LEGACY_WINDOW_FILE, LEGACY_WINDOW_FILE + ".tmp"}) {
        if (vfs.exists(name)) {
          throw new IOException(
              spec + " holds '" + name + "', the index window of an unreleased earlier wal-jraft"
                  + " whose Raft indexes are not the LSNs; this version cannot read that log:"
                  + " delete it and let the node catch up from its peers");
        }
      }
      log = WriteAheadLog.open(vfs, config, listener);
      return new IndexedLog(spec, vfs, log, config);
    } catch (IOException | RuntimeException e) {
      closeAll(e, log, vfs);
      throw e;
    }
  }

  /** {@return the first index; the log is empty when it is above {@link #lastIndex()}} */
  long firstIndex() {
    return log.firstLsn();
  }

  /** {@return the last index whose record is durable} */
  long lastIndex() {
    return lastIndex;
  }

  /** {@return whether the log holds no record} */
  boolean isEmpty() {
    return lastIndex < log.firstLsn();
  }

  /**
   * Reads the payload of the record at {@code index}, which must be in the log.
   *
   * @throws IOException on an I/O failure or damage
   */
  byte[] read(long index) throws IOException {
    return reader.read(index);
  }

  /**
   * Appends records at {@code lastIndex() + 1} on, durably, and publishes them. All or nothing
   * across a crash, unless the batch is over a quarter of a segment: then it is appended as
   * several atomic groups, and a crash may keep a prefix of whole groups (SOFAJRaft does not rely
   * on more: a follower acknowledges a batch only once all of it is durable).
   *
   * @throws IllegalStateException if the engine gave the records other indexes (the log is then
   *     unusable)
   */
  void append(byte[][] payloads, long[] tags) throws IOException {
    long first = lastIndex + 1;
    LogEntry[] entries = new LogEntry[payloads.length];
    for (int i = 0; i < payloads.length; i++) {
      entries[i] = LogEntry.of(payloads[i]);
    }
    int from = 0;
    while (from < entries.length) {
      int to = groupEnd(payloads, from);
      boolean lastGroup = to == entries.length;
      LogEntry[] group = from == 0 && lastGroup ? entries : Arrays.copyOfRange(entries, from, to);
      long[] groupTags = from == 0 && lastGroup ? tags : Arrays.copyOfRange(tags, from, to);
      // Only the last group waits: its flush covers the groups before it.
      long lsn = lastGroup
          ? log.appendAll(group, groupTags, group.length)
          : log.appendAllNoWait(group, groupTags, group.length);
      if (lsn != first + from) {
        throw new IllegalStateException(
            spec + ": the record of index " + (first + from) + " got LSN " + lsn);
      }
      from = to;
    }
    lastIndex = first + payloads.length - 1;
  }

  /** {@return the end of the group that starts at {@code from}: at least one record} */
  private int groupEnd(byte[][] payloads, int from) {
    long bytes = 0;
    int to = from;
    while (to < payloads.length) {
      // a record's header and its padding to 8 bytes, with room to spare
      bytes += payloads[to].length + 64L;
      if (bytes > maxGroupBytes && to > from) {
        break;
      }
      to++;
    }
    return to;
  }

  /** Cuts the records after {@code lastIndexKept}, from {@code firstIndex() - 1} (all) on. */
  void cutAfter(long lastIndexKept) throws IOException {
    if (lastIndexKept < lastIndex) {
      reader.invalidate();
      log.truncateAfter(lastIndexKept);
      lastIndex = lastIndexKept;
    }
  }

  /**
   * Makes {@code firstIndexKept} the first index, durably: the records before it go (whole
   * segments of them at once); past the end, the log is left empty and starts there.
   */
  void keepFrom(long firstIndexKept) throws IOException {
    if (firstIndexKept <= log.firstLsn()) {
      return;
    }
    reader.invalidate();
    if (firstIndexKept > lastIndex + 1) {
      reset(firstIndexKept);
    } else {
      log.truncateBefore(firstIndexKept);
    }
  }

  /** Drops every record, durably, and makes the log an empty one starting at {@code firstIndex}. */
  void reset(long firstIndex) throws IOException {
    reader.invalidate();
    log.reset(firstIndex);
    lastIndex = firstIndex - 1;
  }

  /** Closes the reader, the engine's log and the storage, keeping the first failure. */
  @Override
  public void close() throws IOException {
    IOException failure = closeAll(null, reader, log, vfs);
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Closes every resource that is not null, in order, adding failures to {@code failure}.
   *
   * @return the first failure if {@code failure} was null, else null
   */
  private static IOException closeAll(Exception failure, Closeable... resources) {
    IOException first = null;
    for (Closeable resource : resources) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (IOException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }

  @Override
  public String toString() {
    return spec;
  }
}
