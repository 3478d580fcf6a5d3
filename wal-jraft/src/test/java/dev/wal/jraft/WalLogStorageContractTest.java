package dev.wal.jraft;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;

/** The contract run against our storage on the local backend: passing here proves the storage. */
final class WalLogStorageContractTest extends LogStorageContractTest {
  @Override
  protected LogStorage newStorage(Path dir) {
    return TestLogs.local(dir);
  }
}
