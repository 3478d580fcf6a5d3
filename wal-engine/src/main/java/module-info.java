/**
 * The write-ahead log. Start at {@link dev.wal.engine.WriteAheadLog}.
 */
module dev.wal.engine {
  requires transitive dev.wal.api;

  exports dev.wal.engine;

  uses dev.wal.vfs.VfsProvider;
}
