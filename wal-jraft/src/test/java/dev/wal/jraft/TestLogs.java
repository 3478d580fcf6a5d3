package dev.wal.jraft;

import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
import java.nio.file.Path;

/** Our log storage as the tests make it: small segments, so truncations drop and cut files. */
final class TestLogs {
  /** Segments of 64 KiB: a few hundred entries each, so the tests cross many. */
  static final WalConfig SMALL_SEGMENTS =
      WalConfig.builder().segmentBytes(64 << 10).bufferBytes(16 << 10).maxRecordBytes(32 << 10).build();

  private TestLogs() {}

  /** {@return a storage on the local backend in {@code dir}} */
  static LogStorage local(Path dir) {
    return new WalJRaftServiceFactory(SMALL_SEGMENTS)
        .createLogStorage("local:" + dir.resolve("wal"), new RaftOptions());
  }
}
