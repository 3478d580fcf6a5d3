package dev.wal.jraft;

import static dev.wal.jraft.TestEntries.configuration;
import static dev.wal.jraft.TestEntries.data;
import static dev.wal.jraft.TestEntries.dataRange;
import static dev.wal.jraft.TestEntries.jointConfiguration;
import static dev.wal.jraft.TestEntries.peerIds;
import static dev.wal.jraft.TestEntries.peers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour of SOFAJRaft's default log storage where the {@link LogStorage} interface is
 * silent, as one contract every log storage of ours must keep. Run against {@code
 * RocksDBLogStorage} it proves the test; run against ours it proves the storage.
 *
 * <p>The cases are those a {@code LogManager} relies on: appends are contiguous, {@code
 * truncatePrefix} moves forward, {@code truncateSuffix} keeps at least the entry before the first.
 * Where the default storage's answer is an artefact of its background prefix deletion, the
 * contract asserts only what is deterministic: after a prefix truncation past the end its last
 * index is 0 or the old last index depending on that thread, and a {@code truncateSuffix} that
 * empties a prefix-truncated log returns false when that thread has already run (it computes the
 * last index twice, see sofa-jraft issue 1187). Those cases are tested for our storage alone.
 * Concurrency and randomized sequences are in {@link LogStorageModelTest}.
 */
abstract class LogStorageContractTest {
  @TempDir Path dir;

  private LogStorage storage;
  private ConfigurationManager configurations;

  /**
   * Returns a new, not yet initialised storage kept under {@code dir}. Two storages made for the
   * same directory see the same log, one after the other.
   *
   * @param dir the directory of this test's storage
   * @return the storage
   */
  protected abstract LogStorage newStorage(Path dir);

  @BeforeEach
  void open() {
    reopen();
  }

  @AfterEach
  void shutdown() {
    if (storage != null) {
      storage.shutdown();
      storage = null;
    }
  }

  /** Shuts the storage down, if open, and initialises a new one over the same directory. */
  final LogStorage reopen() {
    shutdown();
    configurations = new ConfigurationManager();
    LogStorage opened = newStorage(dir);
    LogStorageOptions options = new LogStorageOptions();
    options.setGroupId("contract");
    options.setConfigurationManager(configurations);
    options.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
    assertThat(opened.init(options)).as("init").isTrue();
    storage = opened;
    return opened;
  }

  /** {@return the configuration manager the last {@link #reopen()} replayed into} */
  final ConfigurationManager configurations() {
    return configurations;
  }

  @SuppressWarnings("deprecation") // the LogManager still asks for terms this way
  private long termAt(long index) {
    return storage.getTerm(index);
  }

  private void append(List<LogEntry> entries) {
    assertThat(storage.appendEntries(entries)).isEqualTo(entries.size());
  }

  private void assertRange(long firstIndex, long lastIndex) {
    assertThat(storage.getFirstLogIndex()).as("first index").isEqualTo(firstIndex);
    assertThat(storage.getLastLogIndex()).as("last index").isEqualTo(lastIndex);
  }

  private void assertMissing(long index) {
    assertThat(storage.getEntry(index)).as("entry %s", index).isNull();
    assertThat(termAt(index)).as("term of %s", index).isZero();
  }

  @Test
  void emptyLogHasFirstIndexOneAndLastIndexZero() {
    assertRange(1, 0);
  }

  @Test
  void emptyLogReadsEveryIndexAsNullWithTermZero() {
    assertMissing(0);
    assertMissing(1);
    assertMissing(2);
  }

  @Test
  void appendedEntriesReadBackEqualWithTheirTerms() {
    List<LogEntry> entries = dataRange(1, 5, 3);
    append(entries);

    assertRange(1, 5);
    for (LogEntry entry : entries) {
      long index = entry.getId().getIndex();
      assertThat(storage.getEntry(index)).isEqualTo(entry);
      assertThat(termAt(index)).isEqualTo(3);
    }
  }

  @Test
  void entryPastTheLastReadsAsNullWithTermZero() {
    append(dataRange(1, 3, 1));

    assertMissing(4);
    assertMissing(100);
  }

  @Test
  void appendEntryReturnsTrueAndExtendsTheLog() {
    assertThat(storage.appendEntry(data(1, 1))).isTrue();
    assertThat(storage.appendEntry(data(2, 2))).isTrue();

    assertRange(1, 2);
    assertThat(termAt(2)).isEqualTo(2);
  }

  @Test
  void appendEntriesOfAnEmptyListAppendsNothingAndReturnsZero() {
    assertThat(storage.appendEntries(List.of())).isZero();
    assertThat(storage.appendEntries(null)).isZero();

    assertRange(1, 0);
  }

  @Test
  void firstAppendToAnEmptyLogSetsTheFirstIndex() {
    append(dataRange(7, 9, 2));

    assertRange(7, 9);
    assertMissing(6);
    assertThat(storage.getEntry(7)).isEqualTo(data(7, 2));
  }

  @Test
  void entriesKeepTheirTypeAndAnEmptyPayload() {
    LogEntry noOp = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
    noOp.setId(new LogId(1, 1));
    LogEntry empty = data(2, 1, new byte[0]);
    append(List.of(noOp, empty));

    assertThat(storage.getEntry(1).getType()).isEqualTo(EntryType.ENTRY_TYPE_NO_OP);
    assertThat(storage.getEntry(2)).isEqualTo(empty);
    assertThat(storage.getEntry(2).getData().remaining()).isZero();
  }

  @Test
  void configurationEntriesReadBackWithPeersLearnersAndOldPeers() {
    LogEntry simple = configuration(1, 1, peers("127.0.0.1:8081", "127.0.0.1:8082"), peers("127.0.0.1:8090"));
    LogEntry joint = jointConfiguration(2, 1, peers("127.0.0.1:8081", "127.0.0.1:8083"), peers("127.0.0.1:8081", "127.0.0.1:8082"));
    append(List.of(simple, joint));

    assertThat(storage.getEntry(1)).isEqualTo(simple);
    assertThat(storage.getEntry(1).getLearners()).isEqualTo(peerIds(peers("127.0.0.1:8090")));
    assertThat(storage.getEntry(2)).isEqualTo(joint);
    assertThat(storage.getEntry(2).getOldPeers()).isEqualTo(peerIds(peers("127.0.0.1:8081", "127.0.0.1:8082")));
  }

  @Test
  void entriesSurviveShutdownAndReopen() {
    List<LogEntry> entries = dataRange(1, 20, 4);
    append(entries);

    reopen();

    assertRange(1, 20);
    for (LogEntry entry : entries) {
      assertThat(storage.getEntry(entry.getId().getIndex())).isEqualTo(entry);
    }
  }

  @Test
  void initReplaysConfigurationEntriesIntoTheConfigurationManager() {
    append(List.of(
        configuration(1, 1, peers("127.0.0.1:8081"), List.of()),
        data(2, 1),
        jointConfiguration(3, 2, peers("127.0.0.1:8081", "127.0.0.1:8082"), peers("127.0.0.1:8081")),
        data(4, 2),
        configuration(5, 2, peers("127.0.0.1:8081", "127.0.0.1:8082"), peers("127.0.0.1:8090"))));

    reopen();

    assertThat(configurations.get(1).getId()).isEqualTo(new LogId(1, 1));
    assertThat(configurations.get(2).getId()).isEqualTo(new LogId(1, 1));
    ConfigurationEntry joint = configurations.get(3);
    assertThat(joint.getId()).isEqualTo(new LogId(3, 2));
    assertThat(joint.getConf().getPeers()).isEqualTo(peerIds(peers("127.0.0.1:8081", "127.0.0.1:8082")));
    assertThat(joint.getOldConf().getPeers()).isEqualTo(peerIds(peers("127.0.0.1:8081")));
    ConfigurationEntry last = configurations.getLastConfiguration();
    assertThat(last.getId()).isEqualTo(new LogId(5, 2));
    assertThat(last.getConf().getLearners()).containsExactly(peerIds(peers("127.0.0.1:8090")).get(0));
    assertThat(last.getOldConf().isEmpty()).isTrue();
  }

  @Test
  void initReplaysNoConfigurationEntryOfALogWithoutOne() {
    append(dataRange(1, 3, 1));

    reopen();

    assertThat(configurations.getLastConfiguration().isEmpty()).isTrue();
  }

  @Test
  void truncatePrefixHidesEntriesBeforeTheFirstIndexKept() {
    append(dataRange(1, 10, 1));

    assertThat(storage.truncatePrefix(4)).isTrue();

    assertRange(4, 10);
    assertMissing(1);
    assertMissing(3);
    assertThat(storage.getEntry(4)).isEqualTo(data(4, 1));
    assertThat(storage.getEntry(10)).isEqualTo(data(10, 1));
  }

  @Test
  void truncatePrefixSurvivesReopen() {
    append(dataRange(1, 10, 1));
    assertThat(storage.truncatePrefix(6)).isTrue();

    reopen();

    assertRange(6, 10);
    assertMissing(5);
    assertThat(storage.getEntry(6)).isEqualTo(data(6, 1));
  }

  @Test
  void truncatePrefixAtTheFirstIndexChangesNothing() {
    append(dataRange(1, 5, 1));

    assertThat(storage.truncatePrefix(1)).isTrue();

    assertRange(1, 5);
    assertThat(storage.getEntry(1)).isEqualTo(data(1, 1));
  }

  @Test
  void truncatePrefixPastTheLastIndexMovesTheFirstIndexAndTheNextAppendStartsThere() {
    append(dataRange(1, 5, 1));

    assertThat(storage.truncatePrefix(9)).isTrue();

    assertThat(storage.getFirstLogIndex()).isEqualTo(9);
    assertMissing(5);
    append(dataRange(9, 10, 2));
    assertRange(9, 10);
    assertThat(storage.getEntry(9)).isEqualTo(data(9, 2));
  }

  @Test
  void truncatePrefixThenAppendKeepsTheFirstIndexAcrossReopen() {
    append(dataRange(1, 5, 1));
    assertThat(storage.truncatePrefix(3)).isTrue();
    append(dataRange(6, 8, 1));

    reopen();

    assertRange(3, 8);
  }

  @Test
  void truncateSuffixDropsEntriesAfterTheLastIndexKept() {
    append(dataRange(1, 10, 1));

    assertThat(storage.truncateSuffix(6)).isTrue();

    assertRange(1, 6);
    assertMissing(7);
    assertMissing(10);
    assertThat(storage.getEntry(6)).isEqualTo(data(6, 1));
  }

  @Test
  void truncateSuffixThenAppendReplacesTheTailWithNewTerms() {
    append(dataRange(1, 10, 1));
    assertThat(storage.truncateSuffix(6)).isTrue();

    append(dataRange(7, 8, 2));

    assertRange(1, 8);
    assertThat(termAt(6)).isEqualTo(1);
    assertThat(storage.getEntry(7)).isEqualTo(data(7, 2));
    assertThat(termAt(8)).isEqualTo(2);
  }

  @Test
  void truncateSuffixSurvivesReopen() {
    append(dataRange(1, 10, 1));
    assertThat(storage.truncateSuffix(4)).isTrue();
    append(dataRange(5, 6, 3));

    reopen();

    assertRange(1, 6);
    assertThat(storage.getEntry(5)).isEqualTo(data(5, 3));
    assertMissing(7);
  }

  @Test
  void truncateSuffixAtTheLastIndexChangesNothing() {
    append(dataRange(1, 5, 1));

    assertThat(storage.truncateSuffix(5)).isTrue();

    assertRange(1, 5);
  }

  @Test
  void truncateSuffixDropsConfigurationEntriesFromWhatInitReplays() {
    append(List.of(
        configuration(1, 1, peers("127.0.0.1:8081"), List.of()),
        data(2, 1),
        configuration(3, 1, peers("127.0.0.1:8081", "127.0.0.1:8082"), List.of())));
    assertThat(storage.truncateSuffix(2)).isTrue();

    reopen();

    assertThat(configurations.getLastConfiguration().getId()).isEqualTo(new LogId(1, 1));
  }

  @Test
  void resetToAnIndexPastTheLastLeavesOneNoOpEntryOfTermZero() {
    append(dataRange(1, 5, 2));

    assertThat(storage.reset(20)).isTrue();

    assertRange(20, 20);
    assertMissing(5);
    LogEntry kept = storage.getEntry(20);
    assertThat(kept.getType()).isEqualTo(EntryType.ENTRY_TYPE_NO_OP);
    assertThat(kept.getId()).isEqualTo(new LogId(20, 0));
    assertThat(termAt(20)).isZero();
  }

  @Test
  void resetToAnIndexInTheLogKeepsOnlyTheEntryAtThatIndex() {
    append(dataRange(1, 10, 2));

    assertThat(storage.reset(4)).isTrue();

    assertRange(4, 4);
    assertMissing(3);
    assertMissing(5);
    assertThat(storage.getEntry(4)).isEqualTo(data(4, 2));
    assertThat(termAt(4)).isEqualTo(2);
  }

  @Test
  void appendAfterResetContinuesAfterTheNextIndex() {
    append(dataRange(1, 5, 1));
    assertThat(storage.reset(20)).isTrue();

    append(dataRange(21, 22, 3));

    assertRange(20, 22);
    assertThat(storage.getEntry(21)).isEqualTo(data(21, 3));
  }

  @Test
  void appendingAtTheIndexResetKeptReplacesTheKeptEntry() {
    append(dataRange(1, 5, 1));
    assertThat(storage.reset(20)).isTrue();

    append(dataRange(20, 22, 3));

    assertRange(20, 22);
    assertThat(storage.getEntry(20)).isEqualTo(data(20, 3));
    assertThat(termAt(20)).isEqualTo(3);
  }

  @Test
  void appendingAtTheLastIndexReplacesTheLastEntry() {
    append(dataRange(1, 5, 1));

    append(dataRange(5, 6, 2));

    assertRange(1, 6);
    assertThat(storage.getEntry(4)).isEqualTo(data(4, 1));
    assertThat(storage.getEntry(5)).isEqualTo(data(5, 2));
  }

  @Test
  void resetSurvivesReopen() {
    append(dataRange(1, 5, 1));
    assertThat(storage.reset(20)).isTrue();
    append(dataRange(21, 21, 3));

    reopen();

    assertRange(20, 21);
    assertMissing(5);
    assertThat(storage.getEntry(20).getId()).isEqualTo(new LogId(20, 0));
    assertThat(storage.getEntry(21)).isEqualTo(data(21, 3));
  }

  @Test
  void resetDropsConfigurationEntriesFromWhatInitReplays() {
    append(List.of(configuration(1, 1, peers("127.0.0.1:8081"), List.of()), data(2, 1)));
    assertThat(storage.reset(10)).isTrue();

    reopen();

    assertThat(configurations.getLastConfiguration().isEmpty()).isTrue();
  }

  @Test
  void resetRejectsAnIndexBelowOne() {
    append(dataRange(1, 3, 1));

    assertThatThrownBy(() -> storage.reset(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.reset(-1)).isInstanceOf(IllegalArgumentException.class);
    assertRange(1, 3);
  }
}
