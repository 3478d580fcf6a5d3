package dev.wal.jraft;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.RecordTooLargeException;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SOFAJRaft's {@link LogStorage} over our write-ahead log: each Raft entry is one record, encoded
 * with the node's {@code LogEntryCodecFactory}, its term and type in the record's tag ({@link
 * RecordTag}). Where the interface is silent it behaves as the default {@code RocksDBLogStorage}:
 * an empty log has first index 1 and last 0, a missing entry reads as null and its term as 0,
 * {@code reset(n)} keeps only the entry at {@code n} (a no-op of term 0 if there was none), and
 * {@code init} replays the configuration entries.
 *
 * <p><b>Index and LSN.</b> Raft index = LSN + {@link IndexWindow#lsnOffset()}, an offset that
 * stays 0 until a reset or a prefix truncation past the end moves it, because the engine cannot
 * yet start its LSNs anew (ENGINE-NEEDS.md lists what would make the offset go away).
 *
 * <p><b>Overlapping appends.</b> An append whose first index the log holds replaces that entry and
 * every later one. SOFAJRaft does this right after {@code reset(n)}: the log manager believes the
 * log ends at {@code n - 1} and appends {@code n} again. (The default storage overwrites the
 * indexes it is given and keeps any later ones; the log manager never leaves later ones.)
 *
 * <p><b>Errors.</b> The interface has no exceptions: as the default storage does, a failed call
 * is logged with its cause and answered with false, 0 or null, on which SOFAJRaft's log manager
 * stops the node. After an I/O error the log has fail-stopped; shut down and init again to
 * recover from what is on disk. Bad input (an append leaving a gap, or starting below the first
 * index of a log that is not empty; an entry over the log's largest record) throws before
 * anything is appended.
 *
 * <p><b>Thread safety.</b> Safe for use by many threads: reads run concurrently with each other
 * and with appends; appends and truncations are serialized; truncations and reset exclude reads.
 */
final class WalLogStorage implements LogStorage {
  private static final Logger LOG = LoggerFactory.getLogger(WalLogStorage.class);

  private final String spec;
  private final WalConfig config;
  private final WalJRaftServiceFactory.VfsOpener opener;
  /** Serializes every change of the log: appends, truncations, reset, init, shutdown. */
  private final Lock mutation = new ReentrantLock();
  /** Read: reads and appends. Write: changes that move entries readers may be reading. */
  private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
  private final TermIndex terms = new TermIndex();

  private Vfs vfs;
  private WriteAheadLog log;
  private EntryReader reader;
  private LogEntryEncoder encoder;
  private LogEntryDecoder decoder;
  private volatile IndexWindow window = IndexWindow.INITIAL;
  private volatile long lastIndex;

  WalLogStorage(String spec, WalConfig config, WalJRaftServiceFactory.VfsOpener opener) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.config = Objects.requireNonNull(config, "config");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  @Override
  public boolean init(LogStorageOptions options) {
    Objects.requireNonNull(options.getConfigurationManager(), "configuration manager");
    Objects.requireNonNull(options.getLogEntryCodecFactory(), "log entry codec factory");
    mutation.lock();
    structure.writeLock().lock();
    try {
      if (log != null) {
        return true;
      }
      encoder = Objects.requireNonNull(options.getLogEntryCodecFactory().encoder(), "encoder");
      decoder = Objects.requireNonNull(options.getLogEntryCodecFactory().decoder(), "decoder");
      open();
      LogLoader.load(log, window, lastIndex, terms, decoder, options.getConfigurationManager());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot open the log {}", spec, e);
      closeAll();
      return false;
    } finally {
      structure.writeLock().unlock();
      mutation.unlock();
    }
  }

  private void open() throws IOException {
    vfs = opener.open(spec);
    log = WriteAheadLog.open(vfs, config);
    reader = new EntryReader(log);
    window = IndexWindow.read(vfs);
    terms.clear();
    // Finish a prefix truncation a crash interrupted between the window and the segments.
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

  @Override
  public void shutdown() {
    mutation.lock();
    structure.writeLock().lock();
    try {
      closeAll();
    } finally {
      structure.writeLock().unlock();
      mutation.unlock();
    }
  }

  private void closeAll() {
    IOException failure = null;
    for (Closeable resource : new Closeable[] {reader, log, vfs}) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    reader = null;
    log = null;
    vfs = null;
    if (failure != null) {
      LOG.error("Cannot close the log {} cleanly", spec, failure);
    }
  }

  @Override
  public long getFirstLogIndex() {
    return window.firstIndex();
  }

  @Override
  public long getLastLogIndex() {
    return lastIndex;
  }

  @Override
  public LogEntry getEntry(long index) {
    structure.readLock().lock();
    try {
      if (log == null || index < window.firstIndex() || index > lastIndex) {
        return null;
      }
      LogEntry entry = decoder.decode(reader.read(window.lsn(index)));
      if (entry == null || entry.getId().getIndex() != index) {
        LOG.error("The record of index {} in {} does not decode to its entry", index, spec);
        return null;
      }
      return entry;
    } catch (IOException e) {
      LOG.error("Cannot read the entry of index {} from {}", index, spec, e);
      return null;
    } finally {
      structure.readLock().unlock();
    }
  }

  @Override
  @SuppressWarnings("deprecation") // the log manager still asks for terms this way
  public long getTerm(long index) {
    return index < window.firstIndex() || index > lastIndex ? 0 : terms.term(index);
  }

  @Override
  public boolean appendEntry(LogEntry entry) {
    return appendEntries(List.of(entry)) == 1;
  }

  @Override
  public int appendEntries(List<LogEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      return 0;
    }
    mutation.lock();
    try {
      ensureStarted();
      long firstIndex = entries.get(0).getId().getIndex();
      boolean empty = lastIndex < window.firstIndex();
      if (empty && (firstIndex != window.firstIndex() || window.lsn(firstIndex) != log.lastLsn() + 1)) {
        exclusive(() -> moveWindow(firstIndex)); // an empty log starts wherever its first append is
      } else if (firstIndex >= window.firstIndex() && firstIndex <= lastIndex) {
        exclusive(() -> cutAfter(firstIndex - 1)); // an append over held entries replaces them
      }
      byte[][] payloads = encode(entries);
      structure.readLock().lock();
      try {
        appendEncoded(entries, payloads);
      } finally {
        structure.readLock().unlock();
      }
      return entries.size();
    } catch (IOException e) {
      LOG.error("Cannot append entries {} to {} to {}", entries.get(0).getId(), entries.get(entries.size() - 1).getId(), spec, e);
      return 0;
    } finally {
      mutation.unlock();
    }
  }

  private byte[][] encode(List<LogEntry> entries) {
    long expected = lastIndex + 1;
    byte[][] payloads = new byte[entries.size()][];
    for (int i = 0; i < payloads.length; i++) {
      LogEntry entry = entries.get(i);
      if (entry.getId().getIndex() != expected + i) {
        throw new IllegalArgumentException(
            "entry " + i + " of the batch has index " + entry.getId().getIndex() + " but the log "
                + spec + " takes index " + (expected + i) + " next (last index " + lastIndex + ")");
      }
      payloads[i] = encoder.encode(entry);
      if (payloads[i].length > config.maxRecordBytes()) {
        throw new RecordTooLargeException(payloads[i].length, config.maxRecordBytes());
      }
    }
    return payloads;
  }

  // @GuardedBy("mutation")
  private void appendEncoded(List<LogEntry> entries, byte[][] payloads) throws IOException {
    long lsn = 0;
    for (int i = 0; i < payloads.length; i++) {
      LogId id = entries.get(i).getId();
      lsn = log.appendNoWait(payloads[i], RecordTag.of(id.getTerm(), entries.get(i).getType()));
      if (window.index(lsn) != id.getIndex()) {
        throw new IllegalStateException(
            spec + ": entry " + id + " got LSN " + lsn + ", which is index " + window.index(lsn));
      }
    }
    log.waitFor(lsn);
    for (LogEntry entry : entries) {
      terms.append(entry.getId().getIndex(), entry.getId().getTerm());
    }
    lastIndex = entries.get(entries.size() - 1).getId().getIndex();
  }

  @Override
  public boolean truncatePrefix(long firstIndexKept) {
    return mutate("truncatePrefix(" + firstIndexKept + ")", () -> {
      if (firstIndexKept <= window.firstIndex()) {
        return;
      }
      if (firstIndexKept > lastIndex + 1 || window.lsn(firstIndexKept) > log.lastLsn() + 1) {
        moveWindow(firstIndexKept);
      } else {
        IndexWindow moved = new IndexWindow(firstIndexKept, window.lsnOffset());
        moved.write(vfs);
        window = moved;
        terms.truncateBefore(firstIndexKept);
      }
      log.truncateBefore(Math.min(window.lsn(firstIndexKept), log.lastLsn() + 1));
    });
  }

  @Override
  public boolean truncateSuffix(long lastIndexKept) {
    return mutate("truncateSuffix(" + lastIndexKept + ")", () -> {
      long kept = Math.max(lastIndexKept, window.firstIndex() - 1);
      if (kept < lastIndex) {
        cutAfter(kept);
      }
    });
  }

  @Override
  public boolean reset(long nextLogIndex) {
    if (nextLogIndex <= 0) {
      throw new IllegalArgumentException("nextLogIndex (" + nextLogIndex + ") must be positive");
    }
    return mutate("reset(" + nextLogIndex + ")", () -> {
      LogEntry kept = getEntry(nextLogIndex);
      if (nextLogIndex >= window.firstIndex() && nextLogIndex <= lastIndex && kept == null) {
        throw new IOException(spec + ": cannot read the entry of index " + nextLogIndex + " to keep");
      }
      if (kept == null) {
        kept = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
        kept.setId(new LogId(nextLogIndex, 0));
      }
      log.truncateAfter(log.firstLsn() - 1);
      moveWindow(nextLogIndex);
      appendEncoded(List.of(kept), encode(List.of(kept)));
    });
  }

  /**
   * Empties the log's view and makes {@code firstIndex} its first index and the engine's next LSN
   * its next index, durably. Records still in the engine fall below the window.
   */
  // @GuardedBy("mutation")
  private void moveWindow(long firstIndex) throws IOException {
    IndexWindow moved = new IndexWindow(firstIndex, firstIndex - (log.lastLsn() + 1));
    moved.write(vfs);
    window = moved;
    terms.clear();
    lastIndex = firstIndex - 1;
  }

  /** Cuts the entries after {@code lastIndexKept}, which is at least the first index - 1. */
  // @GuardedBy("mutation, structure write lock")
  private void cutAfter(long lastIndexKept) throws IOException {
    log.truncateAfter(window.lsn(lastIndexKept));
    terms.truncateAfter(lastIndexKept);
    lastIndex = lastIndexKept;
  }

  /** A change of the log; it throws to fail. */
  private interface Change {
    void run() throws IOException;
  }

  /** Runs a change that moves entries readers may be reading, excluding them. */
  // @GuardedBy("mutation")
  private void exclusive(Change change) throws IOException {
    structure.writeLock().lock();
    try {
      change.run();
      reader.invalidate();
    } finally {
      structure.writeLock().unlock();
    }
  }

  /** Runs a truncation or reset; a failure is logged and answered with false. */
  private boolean mutate(String what, Change change) {
    mutation.lock();
    try {
      ensureStarted();
      exclusive(change);
      return true;
    } catch (IOException e) {
      LOG.error("{} failed on {}", what, spec, e);
      return false;
    } finally {
      mutation.unlock();
    }
  }

  private void ensureStarted() throws IOException {
    if (log == null) {
      throw new IOException("the log storage " + spec + " is not initialised or was shut down");
    }
  }

  @Override
  public String toString() {
    return "WalLogStorage[" + spec + "]";
  }
}
