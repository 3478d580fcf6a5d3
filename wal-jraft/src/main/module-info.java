/**
 * The write-ahead log as SOFAJRaft's log storage. Start at {@link
 * dev.wal.jraft.WalJRaftServiceFactory}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // jraft-core and slf4j 1.7 ship no module descriptor
module dev.wal.jraft {
  requires transitive dev.wal.api;
  requires transitive dev.wal.engine;
  requires transitive jraft.core;
  requires org.slf4j;

  exports dev.wal.jraft;

  uses dev.wal.vfs.VfsProvider;
}
