package dev.wal.jraft;

import static dev.wal.jraft.TestEntries.data;
import static dev.wal.jraft.TestEntries.dataRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.RecordTooLargeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our storage where the default storage's answer is not deterministic or where ours goes beyond
 * it: empty logs after truncations, refused input, a locked log, calls after shutdown, space
 * given back.
 */
final class WalLogStorageTest {
  @TempDir Path dir;

  private LogStorage storage;

  @AfterEach
  void shutdown() {
    if (storage != null) {
      storage.shutdown();
    }
  }

  private LogStorage open() {
    storage = TestLogs.local(dir);
    assertThat(storage.init(options())).as("init").isTrue();
    return storage;
  }

  private static LogStorageOptions options() {
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
    return options;
  }

  @Test
  void truncatePrefixPastTheEndLeavesAnEmptyLogEndingBeforeItsFirstIndex() {
    open().appendEntries(dataRange(1, 5, 1));

    assertThat(storage.truncatePrefix(9)).isTrue();

    assertThat(storage.getFirstLogIndex()).isEqualTo(9);
    assertThat(storage.getLastLogIndex()).isEqualTo(8);
    storage.shutdown();
    open();
    assertThat(storage.getFirstLogIndex()).isEqualTo(9);
    assertThat(storage.getLastLogIndex()).isEqualTo(8);
  }

  @Test
  void truncatePrefixAtOrBelowTheFirstIndexChangesNothing() {
    open().appendEntries(dataRange(1, 10, 1));
    assertThat(storage.truncatePrefix(5)).isTrue();

    assertThat(storage.truncatePrefix(3)).isTrue();

    assertThat(storage.getFirstLogIndex()).isEqualTo(5);
    assertThat(storage.getEntry(4)).isNull();
    assertThat(storage.getEntry(5)).isEqualTo(data(5, 1));
  }

  @Test
  void aLogOfTheEarlierLayoutWithAnIndexWindowFailsToInit() throws IOException {
    open().appendEntries(dataRange(1, 3, 1));
    storage.shutdown();
    Files.write(dir.resolve("wal").resolve(IndexedLog.LEGACY_WINDOW_FILE), new byte[28]);

    LogStorage legacy = TestLogs.local(dir);
    assertThat(legacy.init(options())).isFalse();
    legacy.shutdown();
    storage = null;
  }

  @Test
  void truncateSuffixBeforeTheFirstIndexEmptiesTheLog() {
    open().appendEntries(dataRange(1, 5, 1));
    assertThat(storage.truncatePrefix(3)).isTrue();

    assertThat(storage.truncateSuffix(1)).isTrue();

    assertThat(storage.getFirstLogIndex()).isEqualTo(3);
    assertThat(storage.getLastLogIndex()).isEqualTo(2);
    assertThat(storage.getEntry(3)).isNull();
    assertThat(storage.appendEntries(dataRange(3, 4, 2))).isEqualTo(2);
    assertThat(storage.getEntry(3)).isEqualTo(data(3, 2));
  }

  @Test
  void anAppendThatLeavesAGapIsRefusedAndAppendsNothing() {
    open().appendEntries(dataRange(1, 3, 1));

    assertThatThrownBy(() -> storage.appendEntries(dataRange(5, 6, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 5")
        .hasMessageContaining("takes index 4");
    assertThat(storage.getLastLogIndex()).isEqualTo(3);
  }

  @Test
  void anAppendOverHeldEntriesReplacesThemAndEveryLaterOne() {
    open().appendEntries(dataRange(1, 5, 1));

    assertThat(storage.appendEntries(dataRange(3, 3, 2))).isEqualTo(1);

    assertThat(storage.getLastLogIndex()).isEqualTo(3);
    assertThat(storage.getEntry(3)).isEqualTo(data(3, 2));
    assertThat(storage.getEntry(4)).isNull();
  }

  @Test
  void anAppendBelowTheFirstIndexIsRefused() {
    open().appendEntries(dataRange(1, 5, 1));
    storage.truncatePrefix(3);

    assertThatThrownBy(() -> storage.appendEntries(dataRange(2, 3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 2");
    assertThat(storage.getEntry(3)).isEqualTo(data(3, 1));
  }

  @Test
  void aBatchWithAnEntryOverTheLargestRecordIsRefusedWhole() {
    open().appendEntries(dataRange(1, 3, 1));
    List<LogEntry> batch = List.of(data(4, 1), data(5, 1, new byte[64 << 10]));

    assertThatThrownBy(() -> storage.appendEntries(batch)).isInstanceOf(RecordTooLargeException.class);

    assertThat(storage.getLastLogIndex()).isEqualTo(3);
    storage.shutdown();
    open();
    assertThat(storage.getLastLogIndex()).isEqualTo(3);
  }

  @Test
  void aSecondStorageOnALogInUseFailsToInit() {
    open();
    LogStorage second = TestLogs.local(dir);

    assertThat(second.init(options())).isFalse();
    second.shutdown();
  }

  @Test
  void callsAfterShutdownFailWithoutThrowing() {
    open().appendEntries(dataRange(1, 3, 1));
    storage.shutdown();

    assertThat(storage.appendEntries(dataRange(4, 4, 1))).isZero();
    assertThat(storage.truncateSuffix(1)).isFalse();
    assertThat(storage.truncatePrefix(2)).isFalse();
    assertThat(storage.reset(7)).isFalse();
    assertThat(storage.getEntry(1)).isNull();
    storage = null;
  }

  @Test
  void truncatePrefixGivesBackTheSegmentsItNoLongerNeeds() throws IOException {
    open();
    for (long index = 1; index <= 3_000; index += 100) {
      storage.appendEntries(dataRange(index, index + 99, 1));
    }
    long before = segmentFiles();

    assertThat(storage.truncatePrefix(2_900)).isTrue();

    assertThat(segmentFiles()).isLessThan(before);
    assertThat(storage.getEntry(2_900)).isEqualTo(data(2_900, 1));
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      return files.filter(file -> file.getFileName().toString().endsWith(".wal")).count();
    }
  }

  @Test
  void theFactoryRefusesALogUriThatIsNotAVfsSpec() {
    WalJRaftServiceFactory factory = new WalJRaftServiceFactory();

    assertThatThrownBy(() -> factory.createLogStorage("/var/lib/raft", new RaftOptions()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/var/lib/raft' is not a Vfs spec");
  }
}
