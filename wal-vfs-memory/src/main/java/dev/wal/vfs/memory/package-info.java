/**
 * The memory backend: a named, in-memory {@link dev.wal.vfs.Vfs} on a jimfs file system that
 * lives as long as the JVM (or until {@link dev.wal.vfs.memory.MemoryVfs#drop(String)}).
 *
 * <p>Start at {@link dev.wal.vfs.memory.MemoryVfs}: {@code MemoryVfs.open("orders-test")} or the
 * spec {@code memory:orders-test?maxSize=64m}. Two opens of one name see the same files and share
 * locks, so a test can close a log and reopen it. {@link dev.wal.vfs.memory.MemoryVfsOptions}
 * sets the size limit, the claimed sector size and jimfs's block size.
 *
 * <p>How the parts fit: {@code MemoryStorage} is one named jimfs file system with its lock table,
 * kept in a static registry; {@code MemoryVfs} is one open view of it; {@code MemoryVfsFile} is a
 * handle over a jimfs {@code FileChannel}.
 */
package dev.wal.vfs.memory;
