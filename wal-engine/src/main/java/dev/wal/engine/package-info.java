/**
 * The write-ahead log, written against the {@link dev.wal.vfs.Vfs} SPI alone.
 *
 * <p>Start with {@link dev.wal.engine.WriteAheadLog#open}, configured by a {@link
 * dev.wal.engine.WalConfig}; read back with a {@link dev.wal.engine.LogReader}. Those three are the
 * public API; everything else is package-private.
 *
 * <p>How the parts fit: {@code WalFormat} lays out the bytes (one diagram, no behaviour), {@code
 * RecordEncoder} and {@code RecordDecoder} write and check records, {@code GroupCommit} fills
 * {@code Batch} buffers and runs the leader-based group commit, {@code SegmentIo} writes, flushes
 * and rotates segments prepared ahead by {@code SparePreparer}, {@code Recovery} (with {@code
 * SegmentCheck} and {@code SegmentScanner}) finds the last intact record on open and tells a torn
 * tail from corruption, and {@code Truncation} cuts either end of the log crash-safely.
 */
package dev.wal.engine;
