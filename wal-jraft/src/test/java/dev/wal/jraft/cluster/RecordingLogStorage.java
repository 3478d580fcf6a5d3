package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.util.List;

/**
 * A log storage that passes every call on and notes the truncations and resets SOFAJRaft asks
 * for, so a test can tell which path a case took. Thread-safe if the delegate is.
 */
final class RecordingLogStorage implements LogStorage {
  private final LogStorage delegate;
  private final List<String> calls;

  /**
   * @param delegate the storage that does the work
   * @param calls where the calls are noted; must be thread-safe
   */
  RecordingLogStorage(LogStorage delegate, List<String> calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public boolean init(LogStorageOptions options) {
    return delegate.init(options);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public long getFirstLogIndex() {
    return delegate.getFirstLogIndex();
  }

  @Override
  public long getLastLogIndex() {
    return delegate.getLastLogIndex();
  }

  @Override
  public LogEntry getEntry(long index) {
    return delegate.getEntry(index);
  }

  @Override
  @SuppressWarnings("deprecation") // passed on as SOFAJRaft calls it
  public long getTerm(long index) {
    return delegate.getTerm(index);
  }

  @Override
  public boolean appendEntry(LogEntry entry) {
    return delegate.appendEntry(entry);
  }

  @Override
  public int appendEntries(List<LogEntry> entries) {
    return delegate.appendEntries(entries);
  }

  @Override
  public boolean truncatePrefix(long firstIndexKept) {
    calls.add("truncatePrefix(" + firstIndexKept + ")");
    return delegate.truncatePrefix(firstIndexKept);
  }

  @Override
  public boolean truncateSuffix(long lastIndexKept) {
    calls.add("truncateSuffix(" + lastIndexKept + ")");
    return delegate.truncateSuffix(lastIndexKept);
  }

  @Override
  public boolean reset(long nextLogIndex) {
    calls.add("reset(" + nextLogIndex + ")");
    return delegate.reset(nextLogIndex);
  }
}
