/**
 * The storage SPI: a {@link dev.wal.vfs.Vfs} is a flat directory of {@link dev.wal.vfs.VfsFile}s,
 * opened by spec through a named {@link dev.wal.vfs.VfsProvider}.
 *
 * <p>Most users need one call: {@code Vfs.open("memory:orders-test")} (or {@code local:/path},
 * or {@code faulty:memory:orders-test?seed=42}). {@link dev.wal.vfs.VfsSpec} gives the grammar.
 *
 * <p>Backend authors implement {@link dev.wal.vfs.VfsProvider}, register it in {@code
 * META-INF/services/dev.wal.vfs.VfsProvider}, and extend {@link dev.wal.vfs.AbstractVfs} and
 * {@link dev.wal.vfs.AbstractVfsFile}, which enforce the shared contract (names, closing, the
 * poisoned handle after a failed flush). They then extend {@code
 * dev.wal.vfs.testkit.VfsContractTest} from wal-api's test-jar, which checks every sentence of the
 * contract and every claimed {@link dev.wal.vfs.VfsCapabilities capability}.
 */
package dev.wal.vfs;
