/**
 * The local backend: a {@link dev.wal.vfs.Vfs} over {@link java.nio.channels.FileChannel}s in one
 * directory of any {@link java.nio.file.FileSystem} (the default one in production, jimfs in
 * tests).
 *
 * <p>Start at {@link dev.wal.vfs.local.LocalVfs}: {@code
 * LocalVfs.open(Path.of("/var/lib/app/wal"))} or the spec {@code local:/var/lib/app/wal}; {@link
 * dev.wal.vfs.local.LocalVfsOptions} sets the claimed sector size, whether a missing directory is
 * created, and owner-only permissions.
 *
 * <p>How the parts fit: {@code LocalVfs} does the directory operations and works out what the
 * file system can promise; {@code LocalVfsFile} is a handle that survives interrupts of other
 * threads; {@code LocalLock} is a {@code FileChannel} lock on a lock file plus an in-JVM registry,
 * since a file lock alone does not exclude a second channel of the same JVM.
 */
package dev.wal.vfs.local;
