package dev.wal.jraft;

import static dev.wal.jraft.TestEntries.configuration;
import static dev.wal.jraft.TestEntries.data;
import static dev.wal.jraft.TestEntries.peers;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract run against SOFAJRaft's default storage: passing here proves the contract test. */
final class RocksDBLogStorageContractTest extends LogStorageContractTest {
  @Override
  protected LogStorage newStorage(Path dir) {
    return new RocksDBLogStorage(dir.resolve("rocksdb").toString(), new RaftOptions());
  }

  /**
   * Pins a bug of the default storage in 1.3.14 instead of the contract's case: its {@code
   * truncateSuffix} deletes the configuration copies over {@code [lastIndexKept + 1,
   * getLastLogIndex() + 1)} after it has already deleted the entries, so the range is empty and a
   * truncated configuration entry is replayed by the next {@code init} (sofa-jraft issue 1187,
   * fixed after 1.3.14 by pull request 1188). When an upgrade fixes it this override fails: delete
   * it and the contract's case runs here again.
   */
  @Override
  @Test
  void truncateSuffixDropsConfigurationEntriesFromWhatInitReplays() {
    LogStorage storage = reopen();
    assertThat(storage.appendEntries(List.of(
        configuration(1, 1, peers("127.0.0.1:8081"), List.of()),
        data(2, 1),
        configuration(3, 1, peers("127.0.0.1:8081", "127.0.0.1:8082"), List.of())))).isEqualTo(3);
    assertThat(storage.truncateSuffix(2)).isTrue();

    reopen();

    assertThat(configurations().getLastConfiguration().getId()).isEqualTo(new LogId(3, 1));
  }
}
