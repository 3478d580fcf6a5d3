package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.JRaftServiceFactory;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import dev.wal.engine.WalConfig;
import dev.wal.jraft.WalJRaftServiceFactory;
import java.nio.file.Path;

/** Which log storage a cluster member runs on, and where its log lives. */
interface StorageSetup {
  /** {@return the service factory whose log storage the member's node uses} */
  JRaftServiceFactory serviceFactory();

  /**
   * Returns the member's log URI, as {@code NodeOptions.setLogUri} takes it.
   *
   * @param memberDir the member's own directory, kept across its restarts
   * @param memberName the member's name, unique in the cluster
   * @return the URI
   */
  String logUri(Path memberDir, String memberName);

  /** SOFAJRaft's default: a RocksDB database per member. */
  static StorageSetup rocksDb() {
    return new StorageSetup() {
      @Override
      public JRaftServiceFactory serviceFactory() {
        return DefaultJRaftServiceFactory.newInstance();
      }

      @Override
      public String logUri(Path memberDir, String memberName) {
        return memberDir.resolve("log").toString();
      }

      @Override
      public String toString() {
        return "RocksDBLogStorage";
      }
    };
  }

  /** Our log on the local backend, in preallocated segments of {@code segmentBytes}. */
  static StorageSetup walLocal(long segmentBytes) {
    return walLocal(segmentBytes, true);
  }

  /** Our log on the local backend, in segments of {@code segmentBytes}, preallocated or growing. */
  static StorageSetup walLocal(long segmentBytes, boolean preallocate) {
    WalConfig config =
        WalConfig.builder()
            .segmentBytes(segmentBytes)
            .maxRecordBytes((int) (segmentBytes / 2))
            .preallocate(preallocate)
            .build();
    return new StorageSetup() {
      @Override
      public JRaftServiceFactory serviceFactory() {
        return new WalJRaftServiceFactory(config);
      }

      @Override
      public String logUri(Path memberDir, String memberName) {
        return "local:" + memberDir.resolve("log");
      }

      @Override
      public String toString() {
        return "WalLogStorage on local:, " + config;
      }
    };
  }
}
