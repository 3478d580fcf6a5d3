/**
 * The log's public record and error types, shared by every module.
 *
 * <p>A user appends a {@link dev.wal.LogEntry} and reads back a {@link dev.wal.LogRecord}. The log
 * itself lives in {@code wal-engine}; the storage under it is a {@link dev.wal.vfs.Vfs}.
 *
 * <p>Errors follow one scheme. I/O failures are checked {@link java.io.IOException}s: {@link
 * dev.wal.CorruptLogException} when bytes on disk are not what the log wrote, {@link
 * dev.wal.LogFailedException} when the log stopped after an earlier I/O error, and {@link
 * dev.wal.AlreadyClosedException} after close. Bad arguments are unchecked and name the bad value,
 * for example {@link dev.wal.RecordTooLargeException}.
 */
package dev.wal;
