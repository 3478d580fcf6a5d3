package dev.wal.jraft;

import com.alipay.sofa.jraft.storage.LogStorage;
import java.nio.file.Path;

/** The model test run against our storage on the local backend. */
final class WalLogStorageModelTest extends LogStorageModelTest {
  @Override
  protected LogStorage newStorage(Path dir) {
    return TestLogs.local(dir);
  }
}
