/**
 * The memory backend: named in-memory storage on jimfs. Start at {@link
 * dev.wal.vfs.memory.MemoryVfs}.
 */
// jimfs 1.3.1 ships no module descriptor, only an Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module dev.wal.vfs.memory {
  requires transitive dev.wal.api;
  requires com.google.common.jimfs;

  exports dev.wal.vfs.memory;

  provides dev.wal.vfs.VfsProvider with
      dev.wal.vfs.memory.MemoryVfsProvider;
}
