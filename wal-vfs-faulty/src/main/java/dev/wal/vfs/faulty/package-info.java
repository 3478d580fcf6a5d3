/**
 * The fault-injecting storage: a {@link dev.wal.vfs.Vfs} decorator that crashes, fails and
 * corrupts the storage under it, deterministically from a seed.
 *
 * <p>Start with {@link dev.wal.vfs.faulty.FaultyVfs}: open one by spec ({@code
 * faulty:memory:orders?seed=42}, options in {@link dev.wal.vfs.faulty.FaultyVfsProvider}) or with
 * {@link dev.wal.vfs.faulty.FaultyVfs#wrap} and a {@link dev.wal.vfs.faulty.FaultConfig}. Run the
 * code under test on it, then call {@link dev.wal.vfs.faulty.FaultyVfs#crash} with {@link
 * dev.wal.vfs.faulty.CrashOptions} to get the storage as a power loss would leave it, and reopen
 * the code on that. {@link dev.wal.vfs.faulty.FaultRule}s fail chosen operations; injected
 * exceptions implement {@link dev.wal.vfs.faulty.InjectedFault}. Tests get all of this in a few
 * lines from {@link dev.wal.vfs.faulty.junit.FaultyVfsExtension}.
 *
 * <p>How the parts fit: {@code FaultyVfs}, its {@code DirectoryOps} and {@code FaultyFile} pass
 * every call to the inner storage through one method ({@code Operations}) that counts, traces and
 * may fail it; {@code KnownFiles} gives each file a {@code FileNode}, which keeps the durable
 * bytes the live file no longer has and the writes since the last flush; {@code Namespace} keeps
 * the directory changes since the last directory sync; {@code CrashImages} draws each crash's
 * seed and has a {@code CrashImageWriter} turn both into an image; {@code SilentFaults} overlays
 * what reads return.
 */
package dev.wal.vfs.faulty;
