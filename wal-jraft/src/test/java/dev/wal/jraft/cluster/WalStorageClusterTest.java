package dev.wal.jraft.cluster;

/** The cluster cases on our storage, on the local backend with 4 MiB segments. */
final class WalStorageClusterTest extends ClusterTest {
  @Override
  protected StorageSetup storage() {
    return StorageSetup.walLocal(4L << 20);
  }
}
