package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One storage alone, as a node's disk thread drives it: {@code appendEntries} of a batch of
 * 128-byte entries, durable (one fsync) when it returns, one call after the other.
 */
final class LogAloneBenchmark {
  static final int ENTRY_BYTES = 128;

  private LogAloneBenchmark() {}

  /**
   * Appends batches of {@code batchSize} for {@code duration} after a warm-up of a tenth of it.
   *
   * @return entries appended per second
   */
  static double entriesPerSecond(StorageSetup setup, Path dir, int batchSize, Duration duration) {
    LogStorage storage = setup.serviceFactory().createLogStorage(setup.logUri(dir, "alone"), new RaftOptions());
    LogStorageOptions options = new LogStorageOptions();
    options.setGroupId("bench");
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(setup.serviceFactory().createLogEntryCodecFactory());
    if (!storage.init(options)) {
      throw new IllegalStateException("cannot open " + setup + " in " + dir);
    }
    try {
      long next = append(storage, 1, batchSize, duration.dividedBy(10)).nextIndex();
      Run measured = append(storage, next, batchSize, duration);
      return (measured.nextIndex() - next) * 1e9 / measured.elapsedNs();
    } finally {
      storage.shutdown();
    }
  }

  private record Run(long nextIndex, long elapsedNs) {}

  private static Run append(LogStorage storage, long fromIndex, int batchSize, Duration duration) {
    byte[] payload = new byte[ENTRY_BYTES];
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    long next = fromIndex;
    // Bounded by time, and by count as a guard.
    for (int call = 0; call < 100_000_000 && System.nanoTime() < deadline; call++) {
      List<LogEntry> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_DATA);
        entry.setId(new LogId(next + i, 1));
        entry.setData(ByteBuffer.wrap(payload));
        batch.add(entry);
      }
      if (storage.appendEntries(batch) != batchSize) {
        throw new IllegalStateException("appendEntries failed at index " + next);
      }
      next += batchSize;
    }
    return new Run(next, System.nanoTime() - start);
  }
}
