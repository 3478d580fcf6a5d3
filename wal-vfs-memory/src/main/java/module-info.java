/** The memory backend: named in-memory storage on jimfs. Start at {@link dev.wal.vfs.memory.MemoryVfs}. */
@SuppressWarnings("requires-automatic") // jimfs 1.3.1 ships no module descriptor, only a module name
module dev.wal.vfs.memory {
  requires transitive dev.wal.api;
  requires com.google.common.jimfs;

  exports dev.wal.vfs.memory;

  provides dev.wal.vfs.VfsProvider with
      dev.wal.vfs.memory.MemoryVfsProvider;
}
