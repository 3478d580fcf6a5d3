package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.JRaftServiceFactory;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
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
}
