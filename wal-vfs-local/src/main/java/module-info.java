/**
 * The local backend: a directory of files on any java.nio file system. Start at {@link
 * dev.wal.vfs.local.LocalVfs}.
 */
module dev.wal.vfs.local {
  requires transitive dev.wal.api;

  exports dev.wal.vfs.local;

  provides dev.wal.vfs.VfsProvider with
      dev.wal.vfs.local.LocalVfsProvider;
}
