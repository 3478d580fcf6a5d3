/**
 * The write-ahead log, written against the {@link dev.wal.vfs.Vfs} SPI alone.
 *
 * <p>Start with {@link dev.wal.engine.WriteAheadLog#open}, configured by a {@link
 * dev.wal.engine.WalConfig}; read back with a {@link dev.wal.engine.LogReader}; what opening
 * found on disk is in a {@link dev.wal.engine.RecoveryReport}, and an open may tell a {@link
 * dev.wal.engine.RecoveryListener} every record's tag. Those five are the public API; everything
 * else is package-private.
 *
 * <p>How the parts fit: {@code WriteAheadLog} checks each call and hands it to a part: {@code
 * LogOpening} takes the lock, recovers and wires the parts, {@code PayloadSizes} checks what an
 * append is given, {@code LogTruncations} runs truncations and resets as group commit's
 * maintenance, {@code LogShutdown} closes the log and writes the clean-close marker. {@code
 * WalFormat} lays out the bytes (one diagram, no behaviour), {@code RecordEncoder} and {@code
 * RecordDecoder} write and check records. {@code GroupCommit} is the
 * entry point of appending and durability: {@code AppendBuffers} encodes records into {@code
 * Batch} buffers, {@code IoRoles} holds the write and force roles of the leader-based group
 * commit, {@code CommitState} and {@code Waiters} the lock, the waiters and the fail-stop state,
 * {@code Maintenance} what takes both roles (truncations, resets, close), {@code
 * BackgroundFlusher} the flusher thread's loop. {@code SegmentIo}
 * writes, flushes and rotates segments prepared ahead by {@code SparePreparer}; {@code Segments}
 * lists them with a sparse {@code SegmentIndex} each, for point reads. {@code Recovery} (with
 * {@code SegmentCheck}, {@code SegmentScanner} and {@code NewestSegment}) finds the last intact
 * record on open, tells a torn tail from corruption and rebuilds the indexes; {@code Truncation}
 * cuts either end of the log, resets it crash-safely and rewrites the newest segment on an open
 * that does not follow a clean close, with {@code LogMeta} keeping the logical first LSN, a reset
 * under way and the clean-close marker.
 */
package dev.wal.engine;
