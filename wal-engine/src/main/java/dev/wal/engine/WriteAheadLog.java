package dev.wal.engine;

import dev.wal.AlreadyClosedException;
import dev.wal.CorruptLogException;
import dev.wal.LogEntry;
import dev.wal.LogFailedException;
import dev.wal.LogRecord;
import dev.wal.RecordTooLargeException;
import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.Vfs;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A write-ahead log on a {@link Vfs}: append records, learn when they are durable, read them back
 * after a crash.
 *
 * <p><b>Appending.</b> {@link #append(LogEntry, long)} returns the record's LSN once the record is
 * durable. {@link #appendNoWait(LogEntry, long)} returns the LSN at once; {@link #waitFor(long)}
 * and {@link #flush()} make it durable later, and a background flusher does so within the
 * configured {@link WalConfig#flushInterval() flush interval}. LSNs are dense, start at 1 and
 * continue across reopen. Many threads may append at once: they share writes and flushes (group
 * commit), and no lock is held while storage works.
 *
 * <p><b>For replicated consumers</b> (a Raft log storage): {@link #appendAll(LogEntry[], long[],
 * int)} appends a batch as one atomic group (all of it survives a crash, or none); {@link
 * #read(long)} and {@link LogReader#seek} read any record by LSN through a sparse index while
 * appends go on; {@link #reset(long)} discards everything durably for a snapshot install; {@link
 * #firstLsn()} and {@link #lastLsn()} answer at any time, without a lock, and {@link
 * #truncateBefore} sets the first LSN exactly and durably. Each says how it survives a crash at any
 * step.
 *
 * <p><b>Opening</b> takes the {@code Vfs} lock (a second writer gets {@link LockHeldException}),
 * then recovers: it checks every segment, cuts a torn tail off for good, and continues after the
 * last intact record. Unless the log was closed cleanly, it rewrites the newest segment's records
 * into a new file (see {@link #open(Vfs, WalConfig)}), so that records a failed fsync left only
 * in the OS's cache become durable before the log reports them durable. Damage that a crash
 * cannot explain is reported as {@link CorruptLogException}, with nothing on disk changed.
 * {@link Recovery} has the rules.
 * Files that are not the log's are left alone; {@link #recoveryReport()} lists them and says
 * whether a tail was cut.
 *
 * <p><b>Fail-stop.</b> When a write or flush fails, every waiting and later call throws {@link
 * LogFailedException} whose cause is the first error; {@link #flushedLsn()} never moves past what
 * a successful flush covered. Close the log and reopen it: recovery starts from what is on disk.
 *
 * <p><b>Interrupts.</b> A thread interrupted while it waits (for durability, or for buffer space)
 * gets {@link InterruptedIOException} with its interrupt flag set, and the log stays usable; a
 * record it had appended stays in the log and becomes durable with the next flush. An interrupted
 * thread never starts I/O for the log. But a thread interrupted while it is doing the log's I/O
 * (it may, as the group-commit leader) can make the storage fail (the local backend closes its
 * channel on interrupt and cannot tell an interrupted fsync from a failed one), which fail-stops
 * the log; do not interrupt appending threads if that matters.
 *
 * <p><b>Closing</b> makes every appended record durable, stops the flusher, records that the log
 * closed cleanly (so that the next open is cheap) and releases the lock; an append racing with
 * close either gets its LSN, durable, or {@link AlreadyClosedException}.
 * The {@code Vfs} stays open: it belongs to the caller.
 *
 * <p>Thread safety: safe for use by many threads.
 */
public final class WriteAheadLog implements Closeable {
  // The entry point only: each public method checks that the log is open and hands the work to a
  // part (LogOpening, PayloadSizes, GroupCommit, LogTruncations, LogShutdown; see package-info).
  private final Vfs vfs;
  private final PayloadSizes sizes;
  private final Segments segments;
  private final GroupCommit commit;
  private final LogTruncations truncations;
  private final LogShutdown shutdown;
  private final SparePreparer spares;
  private final RecoveryReport recoveryReport;
  private final AtomicBoolean open = new AtomicBoolean(true);

  /** Takes the parts {@link LogOpening} wired and started. */
  WriteAheadLog(
      Vfs vfs,
      WalConfig config,
      Segments segments,
      GroupCommit commit,
      LogTruncations truncations,
      LogShutdown shutdown,
      SparePreparer spares,
      RecoveryReport recoveryReport) {
    this.vfs = vfs;
    this.sizes = new PayloadSizes(config);
    this.segments = segments;
    this.commit = commit;
    this.truncations = truncations;
    this.shutdown = shutdown;
    this.spares = spares;
    this.recoveryReport = recoveryReport;
  }

  /**
   * Opens the log stored in {@code vfs}, creating it if the storage holds no segment, and
   * recovers it: checks every segment, cuts a torn tail, then either continues after the last
   * record (after a clean close) or rewrites the newest segment (after anything else).
   *
   * <p><b>Why a rewrite.</b> What recovery read may be only in the OS's cache: after a failed
   * fsync Linux keeps the dirty pages readable but marks them clean, so they never reach the disk
   * and a later fsync reports success (Rebello et al., ATC '20). A log reopened in the same page
   * cache (after it fail-stopped, or after its process died without a power loss) would report
   * such records durable and append after them, and a power loss would then lose them and
   * everything acknowledged after them. Rewriting the newest segment's records into a new file,
   * flushing it and renaming it into place (never in place: a torn rewrite could damage records
   * that are durable) makes every record the log reports durable really durable. Older segments
   * need none: a segment gets a successor only after a flush of it succeeded. The copy is as long
   * as the records, not a preallocated segment: opening does not wait for a spare's zeros; the
   * new segment grows as it is written until the next rotation. Before copying, opening deletes
   * the spare and empty files an earlier run left, so that a nearly full disk has room for the
   * copy, and truncates the newest segment after its records (its preallocated zeros). A disk too
   * full even then fails the open with the out-of-space error; nothing is lost.
   *
   * <p><b>Why a clean close needs none.</b> {@link #close()} records, last, a clean-close marker
   * in the meta file ({@link LogMeta}): the last LSN and the newest segment's name and size. It
   * does so only when no write or flush of the log ever failed and every record was made durable
   * by a successful flush: then no page of the log is one a failed flush left behind, since
   * Linux reports a writeback error to the next fsync of every file descriptor open when it
   * happened, and every later flush of ours succeeded. Opening skips the rewrite when the marker
   * matches what recovery found (the same newest segment and size, the same last LSN, no torn
   * tail, and records that end on a boundary of the storage's sectors: a log copied to a disk of
   * larger sectors is rewritten, or its next batch would follow a gap), and then writes nothing
   * at all: such a log opens on a full disk, and opening costs reading the segments. The marker
   * is cleared durably before the log changes any file (the first write of a batch, a truncation
   * or a reset), so a marker on disk always describes files that nobody changed since the close
   * that wrote it; any open after a crash, a fail-stop or a killed process finds none (or one
   * that does not match) and rewrites. A crash during close
   * before the marker is durable leaves no marker, and a crash while it is cleared leaves the
   * marker, the files not yet changed.
   *
   * @param vfs the storage; it stays the caller's to close, after the log
   * @param config the configuration
   * @return the open log
   * @throws LockHeldException if another log holds the storage's lock
   * @throws CorruptLogException if recovery finds damage a crash cannot explain; nothing on disk
   *     was changed
   * @throws IllegalArgumentException if the storage's sector size exceeds 4096 bytes
   * @throws dev.wal.vfs.OutOfSpaceException if the storage has no room for the rewrite
   * @throws IOException on an I/O failure
   */
  public static WriteAheadLog open(Vfs vfs, WalConfig config) throws IOException {
    return open(vfs, config, null);
  }

  /**
   * Opens and recovers the log as {@link #open(Vfs, WalConfig)}, telling {@code listener} the LSN
   * and tag of every record it holds (from {@link #firstLsn()} to {@link #lastLsn()}, in order)
   * from the pass recovery makes anyway: it reads only the newest segment a second time.
   *
   * @param vfs the storage; it stays the caller's to close, after the log
   * @param config the configuration
   * @param listener told every record's LSN and tag before this returns, or null
   * @return the open log
   * @throws IOException as {@link #open(Vfs, WalConfig)}; what the listener was told is then void
   */
  public static WriteAheadLog open(Vfs vfs, WalConfig config, RecoveryListener listener)
      throws IOException {
    return LogOpening.open(vfs, config, listener);
  }

  // ---- appending ------------------------------------------------------------------------------

  /**
   * Appends a record and returns once it is durable.
   *
   * @param entry the payload, written straight into the log's buffer; {@link LogEntry#size()} is
   *     called once and {@link LogEntry#writeTo} once, under the log's append lock, and must write
   *     exactly that many bytes at the buffer's position
   * @param tag the caller's 64-bit tag, returned with the record
   * @return the record's LSN
   * @throws RecordTooLargeException if the payload exceeds {@link WalConfig#maxRecordBytes()}; the
   *     log is unchanged
   * @throws IllegalStateException if the entry wrote another number of bytes than its size; the
   *     record is refused and the log is unchanged
   * @throws InterruptedIOException if interrupted while waiting; the record stays in the log
   * @throws LogFailedException if the log stopped after an I/O error
   * @throws AlreadyClosedException if the log is closed
   * @throws IOException on another I/O failure
   */
  public long append(LogEntry entry, long tag) throws IOException {
    return commit.append(entry, null, null, sizes.checkedSize(entry), tag, true);
  }

  /**
   * Appends a record whose payload is {@code payload} and returns once it is durable. As {@link
   * #append(LogEntry, long)}; the array must not change until the call returns.
   *
   * @param payload the payload
   * @param tag the caller's tag
   * @return the record's LSN
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long append(byte[] payload, long tag) throws IOException {
    return commit.append(null, payload, null, sizes.checkedSize(payload), tag, true);
  }

  /**
   * Appends a record whose payload is {@code payload}'s remaining bytes (its position and limit are
   * left as they were) and returns once it is durable. As {@link #append(LogEntry, long)}.
   *
   * @param payload the payload, from position to limit
   * @param tag the caller's tag
   * @return the record's LSN
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long append(ByteBuffer payload, long tag) throws IOException {
    return commit.append(null, null, payload, sizes.checkedSize(payload), tag, true);
  }

  /**
   * Appends a record and returns its LSN at once, before it is durable. Waits only if both
   * buffers are full (until one is written). As {@link #append(LogEntry, long)} otherwise.
   *
   * @param entry the payload
   * @param tag the caller's tag
   * @return the record's LSN
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long appendNoWait(LogEntry entry, long tag) throws IOException {
    return commit.append(entry, null, null, sizes.checkedSize(entry), tag, false);
  }

  /**
   * Appends a record whose payload is {@code payload} and returns its LSN at once. The array may
   * change once the call returns.
   *
   * @param payload the payload
   * @param tag the caller's tag
   * @return the record's LSN
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long appendNoWait(byte[] payload, long tag) throws IOException {
    return commit.append(null, payload, null, sizes.checkedSize(payload), tag, false);
  }

  /**
   * Appends a record whose payload is {@code payload}'s remaining bytes and returns its LSN at
   * once. The buffer may change once the call returns.
   *
   * @param payload the payload, from position to limit
   * @param tag the caller's tag
   * @return the record's LSN
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long appendNoWait(ByteBuffer payload, long tag) throws IOException {
    return commit.append(null, null, payload, sizes.checkedSize(payload), tag, false);
  }

  /**
   * Appends {@code entries[0, count)}, tagged {@code tags[0, count)}, as one atomic group and
   * returns once all of them are durable: they get consecutive LSNs (no other caller's record
   * lands between them), share one write and one flush (with other callers' records too), and
   * after a crash either all of them are in the log or none. No record of the group is reported
   * durable, nor read back, before all of it is. The group must fit in one segment.
   *
   * <p>Why it is all-or-nothing: the group is encoded into one batch, so any write or flush that
   * covers its last record covers all of it; every record of it but the last carries a CONTINUED
   * mark, and recovery cuts a group whose last record is missing or damaged as a torn tail (see
   * {@link Recovery}). {@link #truncateAfter} inside a group keeps the records before the cut
   * whole.
   *
   * @param entries the payloads, in order; each written as by {@link #append(LogEntry, long)}
   * @param tags the callers' tags, one per entry
   * @param count how many entries to append, from index 0
   * @return the LSN of the first record (the others follow densely); for {@code count} 0, {@link
   *     #lastLsn()} + 1
   * @throws IllegalArgumentException if {@code count} is negative or exceeds either array, or the
   *     group does not fit in a segment; the log is unchanged
   * @throws RecordTooLargeException if a payload exceeds {@link WalConfig#maxRecordBytes()}; the
   *     log is unchanged
   * @throws IllegalStateException if an entry wrote another number of bytes than its size; no
   *     record of the group is appended
   * @throws IOException as {@link #append(LogEntry, long)}
   */
  public long appendAll(LogEntry[] entries, long[] tags, int count) throws IOException {
    int[] payloadSizes = sizes.checkedSizes(entries, tags, count);
    return commit.appendGroup(entries, count, payloadSizes, tags, true);
  }

  /**
   * Appends {@code entries[0, count)} as one atomic group and returns at once, before it is
   * durable. As {@link #appendAll(LogEntry[], long[], int)}; {@link #waitFor} with the last LSN
   * makes all of it durable.
   *
   * @param entries the payloads, in order
   * @param tags the callers' tags, one per entry
   * @param count how many entries to append, from index 0
   * @return the LSN of the first record; for {@code count} 0, {@link #lastLsn()} + 1
   * @throws IOException as {@link #appendAll(LogEntry[], long[], int)}
   */
  public long appendAllNoWait(LogEntry[] entries, long[] tags, int count) throws IOException {
    int[] payloadSizes = sizes.checkedSizes(entries, tags, count);
    return commit.appendGroup(entries, count, payloadSizes, tags, false);
  }

  /**
   * Appends {@code entries} as one atomic group and returns once all of them are durable. As
   * {@link #appendAll(LogEntry[], long[], int)}, with {@code tags.length == entries.size()}.
   *
   * @param entries the payloads, in order
   * @param tags the callers' tags, one per entry
   * @return the LSN of the first record; for an empty list, {@link #lastLsn()} + 1
   * @throws IOException as {@link #appendAll(LogEntry[], long[], int)}
   */
  public long appendAll(List<? extends LogEntry> entries, long[] tags) throws IOException {
    return appendAll(PayloadSizes.arrayOf(entries, tags), tags, entries.size());
  }

  /**
   * Appends {@code entries} as one atomic group and returns at once. As {@link
   * #appendAllNoWait(LogEntry[], long[], int)}, with {@code tags.length == entries.size()}.
   *
   * @param entries the payloads, in order
   * @param tags the callers' tags, one per entry
   * @return the LSN of the first record; for an empty list, {@link #lastLsn()} + 1
   * @throws IOException as {@link #appendAll(LogEntry[], long[], int)}
   */
  public long appendAllNoWait(List<? extends LogEntry> entries, long[] tags) throws IOException {
    return appendAllNoWait(PayloadSizes.arrayOf(entries, tags), tags, entries.size());
  }

  // ---- durability -----------------------------------------------------------------------------

  /**
   * Waits until the record with LSN {@code lsn} (and every record before it) is durable, doing the
   * write and flush itself if no other thread is.
   *
   * @param lsn an LSN that was appended
   * @throws IllegalArgumentException if {@code lsn} is not positive or was not appended yet
   * @throws InterruptedIOException if interrupted while waiting
   * @throws LogFailedException if the log stopped after an I/O error before the record was durable
   * @throws IOException on another I/O failure
   */
  public void waitFor(long lsn) throws IOException {
    ensureOpen();
    long last = commit.lastLsn();
    if (lsn < 1 || lsn > last) {
      throw new IllegalArgumentException(
          "LSN " + lsn + " was not appended (the last appended LSN is " + last + ")");
    }
    commit.awaitDurable(lsn);
  }

  /**
   * Makes every record appended so far durable.
   *
   * @return the flushed LSN, at least the last LSN appended before the call
   * @throws IOException as {@link #waitFor(long)}
   */
  public long flush() throws IOException {
    ensureOpen();
    return commit.flush();
  }

  /** {@return what opening the log found in its storage: files it ignored, a tail it cut} */
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  /** {@return the highest LSN known durable: every record up to it survives a crash} */
  public long flushedLsn() {
    return commit.flushedLsn();
  }

  /**
   * {@return the highest LSN appended, durable or not; {@link #firstLsn()} - 1 if the log holds no
   * record (0 for a new log)} Lock-free.
   */
  public long lastLsn() {
    return commit.lastLsn();
  }

  /**
   * {@return the LSN of the oldest record the log holds, or would hold: {@link #lastLsn()} + 1 if
   * it holds none} This is the logical first LSN: {@link #truncateBefore} and {@link #reset} set
   * it exactly and durably, even where older segments still exist on disk. Lock-free.
   */
  public long firstLsn() {
    return segments.firstLsn();
  }

  /**
   * Reads the record with LSN {@code lsn}, a point read: a copy that stays valid. Safe from many
   * threads while appends, truncations and the flusher run. The segment's sparse index leads it
   * to within about {@value SegmentIndex#STRIDE_BYTES} bytes of the record, so it reads a few tens
   * of kilobytes, never the segment from its start; it opens the segment for each call, so to
   * read many records in order, keep a {@link LogReader} and {@link LogReader#seek} it.
   *
   * @param lsn the LSN: from {@link #firstLsn()} to {@link #lastLsn()}
   * @return the record, or null if it is not durable yet
   * @throws IllegalArgumentException if {@code lsn} was truncated away or does not exist yet
   * @throws IllegalStateException if a {@link #truncateAfter} or {@link #reset} ran during the
   *     call (the record may be gone); never another record's bytes
   * @throws CorruptLogException if the bytes where it should be are damaged
   * @throws IOException on an I/O failure
   */
  public LogRecord read(long lsn) throws IOException {
    ensureOpen();
    if (lsn > lastLsn()) {
      checkReadable(Math.max(lsn, lastLsn() + 2)); // throws, naming the range
    }
    checkReadable(lsn);
    try (LogReader reader = new LogReader(this, vfs, lsn, LogReader.POINT_READ_CHUNK_BYTES)) {
      LogRecord record = reader.next();
      return record == null ? null : LogReader.copyOf(record);
    }
  }

  // ---- reading and truncating -----------------------------------------------------------------

  /**
   * Opens a reader that returns durable records from LSN {@code fromLsn} on.
   *
   * @param fromLsn the first LSN to read: from {@link #firstLsn()} to {@link #lastLsn()} + 1
   * @return the reader; close it when done
   * @throws IllegalArgumentException if {@code fromLsn} was truncated away or does not exist yet;
   *     the message gives the range that exists
   * @throws IOException on an I/O failure
   */
  public LogReader reader(long fromLsn) throws IOException {
    ensureOpen();
    checkReadable(fromLsn);
    return new LogReader(this, vfs, fromLsn);
  }

  /** Refuses an LSN a reader may not start at: below the first, or past the last + 1. */
  void checkReadable(long lsn) {
    long first = firstLsn();
    long last = lastLsn();
    if (lsn < first) {
      throw new IllegalArgumentException(
          "LSN " + lsn + " was truncated away; the log holds LSNs " + first + " to " + last);
    }
    if (lsn > last + 1) {
      throw new IllegalArgumentException(
          "LSN " + lsn + " does not exist yet; the log holds LSNs " + first + " to " + last);
    }
  }

  /**
   * Discards the records below {@code lsn}: {@link #firstLsn()} becomes {@code lsn} (if it was
   * below), durably, and readers refuse LSNs below it; then the segments that hold only such
   * records are deleted, oldest first, never the newest (some of those records stay on disk,
   * invisible, until their whole segment can go). Records below {@code lsn} are made durable
   * first. A crash at any point leaves a contiguous log whose first LSN is the old one or {@code
   * lsn}.
   *
   * @param lsn the first LSN still needed; at most {@link #lastLsn()} + 1
   * @throws IllegalArgumentException if {@code lsn} is beyond {@link #lastLsn()} + 1
   * @throws LogFailedException if a delete or directory sync failed (the log fail-stops)
   * @throws IOException on another I/O failure
   */
  public void truncateBefore(long lsn) throws IOException {
    ensureOpen();
    truncations.truncateBefore(lsn);
  }

  /**
   * Cuts every record after {@code lsn}, durably: when this returns, the cut records are gone for
   * good, even across a crash, and the next append gets LSN {@code lsn + 1}. Records appended
   * before the call are made durable first; appends wait while it runs. A crash during the call
   * leaves the log with a prefix of its records that includes every record up to {@code lsn}.
   * Readers opened before it throw {@link IllegalStateException} afterwards.
   *
   * @param lsn the last LSN to keep: from {@link #firstLsn()} - 1 (cut everything) to {@link
   *     #lastLsn()}
   * @throws IllegalArgumentException if {@code lsn} is outside that range
   * @throws LogFailedException if the I/O failed (the log fail-stops)
   * @throws IOException on another I/O failure
   */
  public void truncateAfter(long lsn) throws IOException {
    ensureOpen();
    truncations.truncateAfter(lsn);
  }

  /**
   * Discards every record and makes the next append get {@code nextLsn}, durably: for installing
   * a snapshot. When this returns, {@link #firstLsn()} is {@code nextLsn}, {@link #lastLsn()} is
   * {@code nextLsn - 1}, and no discarded record comes back, whatever the crash. A crash during
   * the call leaves either the old log whole or the new empty one (see {@link Recovery}). Appends
   * wait while it runs; records appended before it are made durable first. Readers opened before
   * it throw {@link IllegalStateException} afterwards.
   *
   * @param nextLsn the LSN of the next record; from 1 to 2^62 (past it the LSNs after it would
   *     overflow)
   * @throws IllegalArgumentException if {@code nextLsn} is outside that range
   * @throws LogFailedException if the I/O failed (the log fail-stops; reopening finishes or undoes
   *     the reset as the crash rule says)
   * @throws IOException on another I/O failure
   */
  public void reset(long nextLsn) throws IOException {
    ensureOpen();
    truncations.reset(nextLsn);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Makes every appended record durable, stops the background threads, records durably that the
   * log closed cleanly (see {@link #open}), closes the log's files and releases the lock. Later
   * calls throw {@link AlreadyClosedException}; calling close again does nothing. Not
   * interruptible (an interrupt flag set on entry is restored on return).
   *
   * @throws LogFailedException if the log had stopped after an I/O error, so that some appended
   *     records may not be durable; the files and the lock are released all the same, and the
   *     next open rewrites the newest segment
   * @throws IOException if recording the clean close or releasing a resource failed; every record
   *     is durable all the same when the log had not stopped, and the next open rewrites
   */
  @Override
  public void close() throws IOException {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    shutdown.run();
  }

  void ensureOpen() throws AlreadyClosedException {
    if (!open.get()) {
      throw new AlreadyClosedException("log " + vfs.spec());
    }
  }

  /**
   * Waits until the background preparation of a spare segment submitted so far is done; for
   * tests that count storage operations (the flusher does none while nothing is appended).
   */
  void awaitBackgroundIdle() throws IOException {
    spares.awaitIdle();
  }

  Segments segments() {
    return segments;
  }

  @Override
  public String toString() {
    return "WriteAheadLog[" + vfs.spec() + "]";
  }
}
