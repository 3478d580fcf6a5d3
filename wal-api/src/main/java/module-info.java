/**
 * The Vfs SPI and the log's public types. Depends on the JDK alone.
 */
module dev.wal.api {
  exports dev.wal;
  exports dev.wal.vfs;

  uses dev.wal.vfs.VfsProvider;
}
