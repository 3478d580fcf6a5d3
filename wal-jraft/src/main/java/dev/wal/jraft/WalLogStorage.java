package dev.wal.jraft;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
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
 * RecordTag}), and its Raft index is its LSN. Each call is one operation of the engine: {@code
 * appendEntries} an atomic batch ({@code appendAll}), {@code getEntry} a point read, {@code
 * truncatePrefix} {@code truncateBefore} (the first index is exact and durable), {@code
 * truncateSuffix} {@code truncateAfter}, {@code reset} the engine's {@code reset} and one append.
 *
 * <p><b>As the default storage.</b> Where the interface is silent it behaves as {@code
 * RocksDBLogStorage}: an empty log has first index 1 and last 0; a missing entry reads as null and
 * its term as 0; the first append to an empty log sets its first index; {@code reset(n)} keeps only
 * the entry at {@code n} (a no-op of term 0 if there was none); {@code init} replays the
 * configuration entries. It departs where the default's answer is a race with its background
 * prefix deletion, or not a state SOFAJRaft's log manager ever asks for:
 *
 * <ul>
 *   <li>{@code truncatePrefix} past the end leaves an empty log whose first index is the one given
 *       and whose last is one below it (the default answers 0 or the old last index, depending on
 *       whether its deletion thread has run); the next append starts there.
 *   <li>{@code truncatePrefix} at or below the first index changes nothing (the default moves its
 *       first index back, over indexes whose entries it deleted; the log manager never asks it).
 *   <li>An append whose first index the log holds replaces that entry and every later one.
 *       SOFAJRaft does this right after {@code reset(n)}: the log manager believes the log ends at
 *       {@code n - 1} and appends {@code n} again. (The default overwrites the indexes it is given
 *       and keeps any later ones; the log manager never leaves later ones.)
 *   <li>Every append is durable when it returns, whatever {@code RaftOptions.isSync()} says: with
 *       {@code sync=false} the default writes RocksDB's WAL without fsync, so its entries survive a
 *       crash of the process but not a power loss; an append of ours not yet flushed is in the
 *       process's buffer and would not survive either, and the engine reads back only durable
 *       records, which the log manager relies on once it drops its in-memory copies.
 * </ul>
 *
 * <p><b>Errors.</b> The interface has no exceptions: as the default storage does, a failed call
 * is logged with its cause and answered with false, 0 or null, on which SOFAJRaft's log manager
 * stops the node. After an I/O error the log has fail-stopped; shut down and init again to
 * recover from what is on disk. Bad input (an append leaving a gap, or starting below the first
 * index of a log that is not empty; an entry over the log's largest record) throws before
 * anything is appended. A log directory of the unreleased earlier layout (with an index window
 * file) fails {@code init}, naming the file.
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
  /** Read: reads. Write: changes that move or drop entries readers may be reading. */
  private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
  private final TermIndex terms = new TermIndex();
  private final RecentEntries recent = new RecentEntries();

  private volatile IndexedLog log;
  private LogEntryEncoder encoder;
  private LogEntryDecoder decoder;

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
      terms.clear();
      recent.clear();
      LogLoader loader = new LogLoader(terms);
      IndexedLog opened = IndexedLog.open(spec, opener.open(spec), config, loader);
      try {
        loader.replayConfigurations(opened, decoder, options.getConfigurationManager());
      } catch (IOException | RuntimeException e) {
        closeQuietly(opened, e);
        throw e;
      }
      log = opened;
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot open the log {}", spec, e);
      return false;
    } finally {
      structure.writeLock().unlock();
      mutation.unlock();
    }
  }

  private static void closeQuietly(IndexedLog opened, Exception failure) {
    try {
      opened.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public void shutdown() {
    mutation.lock();
    structure.writeLock().lock();
    try {
      if (log != null) {
        log.close();
      }
    } catch (IOException e) {
      LOG.error("Cannot close the log {} cleanly", spec, e);
    } finally {
      log = null;
      structure.writeLock().unlock();
      mutation.unlock();
    }
  }

  @Override
  public long getFirstLogIndex() {
    IndexedLog current = log;
    return current == null ? 1 : current.firstIndex();
  }

  @Override
  public long getLastLogIndex() {
    IndexedLog current = log;
    return current == null ? 0 : current.lastIndex();
  }

  @Override
  public LogEntry getEntry(long index) {
    structure.readLock().lock();
    try {
      IndexedLog current = log;
      if (current == null || index < current.firstIndex() || index > current.lastIndex()) {
        return null;
      }
      byte[] recentPayload = recent.get(index);
      // a copy: the decoded entry may wrap the array, and its reader may write to it
      byte[] payload = recentPayload != null ? recentPayload.clone() : current.read(index);
      return EntryBatch.decode(decoder, payload, index);
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
    IndexedLog current = log;
    boolean held = current != null && index >= current.firstIndex() && index <= current.lastIndex();
    return held ? terms.term(index) : 0;
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
      IndexedLog current = started();
      long firstIndex = entries.get(0).getId().getIndex();
      EntryBatch batch = EntryBatch.encode(entries, firstIndex, encoder, config.maxRecordBytes(), spec);
      if (current.isEmpty() && firstIndex != current.firstIndex()) {
        exclusive(() -> { // an empty log starts where its first append does
          current.reset(firstIndex);
          terms.clear();
          recent.clear();
        });
      } else if (firstIndex < current.firstIndex() || firstIndex > current.lastIndex() + 1) {
        throw new IllegalArgumentException(
            "the batch starts at index " + firstIndex + " but the log " + spec + " holds indexes "
                + current.firstIndex() + " to " + current.lastIndex() + " and takes index "
                + (current.lastIndex() + 1) + " next");
      } else if (firstIndex <= current.lastIndex()) {
        exclusive(() -> cutAfter(firstIndex - 1)); // an append over held entries replaces them
      }
      // Terms first: a reader may look one up as soon as the log publishes the entry.
      for (LogEntry entry : entries) {
        terms.append(entry.getId().getIndex(), entry.getId().getTerm());
      }
      // Kept first too: a reader may ask for an entry as soon as the log publishes it.
      recent.appended(firstIndex, batch.payloads());
      try {
        current.append(batch.payloads(), batch.tags());
      } catch (IOException | RuntimeException e) {
        recent.truncateAfter(firstIndex - 1);
        throw e;
      }
      return entries.size();
    } catch (IOException e) {
      LOG.error("Cannot append entries {} to {} to {}", entries.get(0).getId(), entries.get(entries.size() - 1).getId(), spec, e);
      return 0;
    } finally {
      mutation.unlock();
    }
  }

  @Override
  public boolean truncatePrefix(long firstIndexKept) {
    return mutate("truncatePrefix(" + firstIndexKept + ")", () -> {
      log.keepFrom(firstIndexKept);
      terms.truncateBefore(firstIndexKept);
      recent.truncateBefore(firstIndexKept);
    });
  }

  @Override
  public boolean truncateSuffix(long lastIndexKept) {
    return mutate("truncateSuffix(" + lastIndexKept + ")",
        () -> cutAfter(Math.max(lastIndexKept, log.firstIndex() - 1)));
  }

  // @GuardedBy("mutation, structure write lock")
  private void cutAfter(long lastIndexKept) throws IOException {
    log.cutAfter(lastIndexKept);
    terms.truncateAfter(lastIndexKept);
    recent.truncateAfter(lastIndexKept);
  }

  @Override
  public boolean reset(long nextLogIndex) {
    if (nextLogIndex <= 0) {
      throw new IllegalArgumentException("nextLogIndex (" + nextLogIndex + ") must be positive");
    }
    return mutate("reset(" + nextLogIndex + ")", () -> {
      boolean held = nextLogIndex >= log.firstIndex() && nextLogIndex <= log.lastIndex();
      LogEntry kept = getEntry(nextLogIndex);
      if (held && kept == null) {
        throw new IOException(spec + ": cannot read the entry of index " + nextLogIndex + " to keep");
      }
      if (kept == null) {
        kept = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
        kept.setId(new LogId(nextLogIndex, 0));
      }
      EntryBatch batch = EntryBatch.encode(List.of(kept), nextLogIndex, encoder, config.maxRecordBytes(), spec);
      log.reset(nextLogIndex);
      terms.clear();
      recent.clear();
      terms.append(nextLogIndex, kept.getId().getTerm());
      log.append(batch.payloads(), batch.tags());
      recent.appended(nextLogIndex, batch.payloads());
    });
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
    } finally {
      structure.writeLock().unlock();
    }
  }

  /** Runs a truncation or reset; a failure is logged and answered with false. */
  private boolean mutate(String what, Change change) {
    mutation.lock();
    try {
      started();
      exclusive(change);
      return true;
    } catch (IOException e) {
      LOG.error("{} failed on {}", what, spec, e);
      return false;
    } finally {
      mutation.unlock();
    }
  }

  private IndexedLog started() throws IOException {
    IndexedLog current = log;
    if (current == null) {
      throw new IOException("the log storage " + spec + " is not initialised or was shut down");
    }
    return current;
  }

  @Override
  public String toString() {
    return "WalLogStorage[" + spec + "]";
  }
}
