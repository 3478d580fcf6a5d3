package dev.wal.jraft.cluster;

/** The cluster cases on SOFAJRaft's default storage, proving the harness. */
final class DefaultStorageClusterTest extends ClusterTest {
  @Override
  protected StorageSetup storage() {
    return StorageSetup.rocksDb();
  }
}
