package dev.wal.jraft;

import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import java.nio.file.Path;

/** The model test run against SOFAJRaft's default storage: passing here proves the model. */
final class RocksDBLogStorageModelTest extends LogStorageModelTest {
  @Override
  protected LogStorage newStorage(Path dir) {
    return new RocksDBLogStorage(dir.resolve("rocksdb").toString(), new RaftOptions());
  }
}
