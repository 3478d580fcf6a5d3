package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.util.Objects;

/**
 * Opening a log: takes the storage's lock, recovers (see {@link Recovery}), wires the log's parts
 * and starts appends where recovery left the log: in a fresh segment if it found none, after the
 * last record if the log closed cleanly, else in a rewrite of the newest segment ({@link
 * WriteAheadLog#open(Vfs, WalConfig)} says why). When a step fails, what the earlier ones opened
 * is closed and the lock released; the first error is thrown, the others suppressed in it.
 */
final class LogOpening {
  private LogOpening() {}

  /** Opens and recovers the log as {@link WriteAheadLog#open(Vfs, WalConfig, RecoveryListener)}. */
  static WriteAheadLog open(Vfs vfs, WalConfig config, RecoveryListener listener)
      throws IOException {
    Objects.requireNonNull(vfs, "vfs");
    Objects.requireNonNull(config, "config");
    blockBytes(vfs);
    VfsLock lock = vfs.lock(SegmentNames.LOCK);
    Recovery.Result recovered = null;
    boolean success = false;
    try {
      recovered = Recovery.recover(vfs, config, listener);
      WriteAheadLog log = start(vfs, config, lock, recovered);
      success = true;
      return log;
    } finally {
      if (!success) {
        closeQuietly(recovered, lock);
      }
    }
  }

  private static void closeQuietly(Recovery.Result recovered, VfsLock lock) throws IOException {
    try {
      if (recovered != null && recovered.active() != null) {
        recovered.active().close();
      }
    } finally {
      lock.close();
    }
  }

  /**
   * {@return the block size the log aligns its writes to on {@code vfs}: its sector size, at
   * least {@link WalFormat#MIN_BLOCK_BYTES}}
   *
   * @throws IllegalArgumentException if the sector size exceeds {@link WalFormat#MAX_BLOCK_BYTES}
   */
  static int blockBytes(Vfs vfs) {
    int sectorBytes = vfs.capabilities().sectorSize();
    if (sectorBytes > WalFormat.MAX_BLOCK_BYTES) {
      throw new IllegalArgumentException(
          "the sector size of "
              + vfs.spec()
              + " ("
              + sectorBytes
              + ") exceeds the largest the log supports ("
              + WalFormat.MAX_BLOCK_BYTES
              + ")");
    }
    return Math.max(sectorBytes, WalFormat.MIN_BLOCK_BYTES);
  }

  /** Wires the parts of a recovered log, finds where appends continue and starts the flusher. */
  private static WriteAheadLog start(
      Vfs vfs, WalConfig config, VfsLock lock, Recovery.Result recovered) throws IOException {
    int vfsBlockBytes = blockBytes(vfs);
    Segments segments = new Segments(recovered.indexes(), recovered.meta().firstLsn());
    SparePreparer spares = new SparePreparer(vfs, config);
    SegmentIo io = new SegmentIo(vfs, spares, segments, recovered.active());
    Truncation truncation = new Truncation(vfs, segments, io, spares, config);
    GroupCommit commit;
    Thread flusher;
    try {
      GroupCommit.Tail tail = startingTail(vfs, config, recovered, io, truncation, vfsBlockBytes);
      commit = new GroupCommit(vfs.spec(), config, io, tail);
      long intervalNanos = config.flushInterval().toNanos();
      flusher = new Thread(() -> commit.runFlusher(intervalNanos), "wal-flusher " + vfs.spec());
      flusher.setDaemon(true);
      flusher.start(); // may throw OutOfMemoryError: no thread to be had
    } catch (IOException | RuntimeException | Error e) {
      IOException closing = Closing.closeKeepingFirst(io, Closing.closeKeepingFirst(spares, null));
      if (closing != null) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new WriteAheadLog(
        vfs,
        config,
        segments,
        commit,
        new LogTruncations(commit, truncation, segments, vfsBlockBytes),
        new LogShutdown(vfs, lock, segments, spares, io, commit, flusher),
        spares,
        recovered.report());
  }

  /** {@return where appends start: fresh, after a clean close, or in a rewritten newest segment} */
  private static GroupCommit.Tail startingTail(
      Vfs vfs,
      WalConfig config,
      Recovery.Result recovered,
      SegmentIo io,
      Truncation truncation,
      int vfsBlockBytes)
      throws IOException {
    if (recovered.activeHeader() == null) {
      return Truncation.startFresh(vfs, io, config, recovered.nextLsn(), vfsBlockBytes);
    }
    if (recovered.closedCleanly()) {
      io.activeHeader(recovered.activeHeader(), recovered.active().size());
      GroupCommit.Tail tail = continueAfterCleanClose(config, recovered, vfsBlockBytes);
      io.keepCleanMarker(recovered.meta());
      return tail;
    }
    return truncation.rewriteNewest(
        recovered.nextLsn() - 1, recovered.writeOffset(), vfsBlockBytes);
  }

  /** {@return where appends continue in the newest segment, as recovery left it} */
  private static GroupCommit.Tail continueAfterCleanClose(
      WalConfig config, Recovery.Result recovered, int vfsBlockBytes) throws IOException {
    SegmentHeader header = recovered.activeHeader();
    long capacity = Math.max(config.segmentBytes(), recovered.active().size());
    int blockBytes = Math.max(vfsBlockBytes, header.blockBytes());
    SegmentIndex[] indexes = recovered.indexes();
    return new GroupCommit.Tail(
        recovered.nextLsn(),
        header.salt(),
        Layout.alignUp(recovered.writeOffset(), blockBytes),
        Layout.alignDown(capacity, blockBytes),
        blockBytes,
        indexes[indexes.length - 1]);
  }
}
