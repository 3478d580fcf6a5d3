package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The I/O of both truncations and of a reset, run by the thread holding both of the log's I/O
 * roles.
 *
 * <p><b>truncateBefore(lsn)</b> first makes {@code lsn} the logical first LSN in the meta file
 * ({@link LogMeta}), durably, then deletes whole segments, oldest first, syncing the directory
 * after each delete: a crash at any point leaves a contiguous range of segments, and the records
 * below {@code lsn} that survive in them stay invisible.
 *
 * <p><b>reset(nextLsn)</b> makes the reset durable in the meta file before it deletes anything,
 * so that recovery finishes it after a crash; see {@link LogMeta}.
 *
 * <p><b>truncateAfter(lsn)</b> must never damage a record it keeps, and the records it cuts must
 * never come back, whatever the crash. Records it keeps may share a sector with records it cuts,
 * and overwriting a sector in place may damage all of it in a crash; so the segment that holds the
 * cut is never written in place. Steps:
 *
 * <ol>
 *   <li>Delete the segments after that one, newest first, syncing the directory after each: a
 *       crash leaves the log a prefix of what it was, never with a hole.
 *   <li>Copy the kept part of the segment (its header and records up to {@code lsn}) into the
 *       spare, which is zero-filled, add a trailer, flush it.
 *   <li>Rename the spare over the segment (atomic: a crash leaves the old or the new segment,
 *       whole) and sync the directory.
 * </ol>
 *
 * <p>Each of them clears the clean-close marker the log opened with (see {@link LogMeta}) before
 * it changes a file. {@link #rewriteNewest} is {@code truncateAfter}'s copy without the spare, for
 * an open that found no matching marker.
 *
 * <p>Instances are stateless; the methods run under the I/O role.
 */
final class Truncation {
  private static final int COPY_CHUNK_BYTES = 1 << 20;

  private final Vfs vfs;
  private final Segments segments;
  private final SegmentIo io;
  private final SparePreparer spares;
  private final WalConfig config;

  Truncation(Vfs vfs, Segments segments, SegmentIo io, SparePreparer spares, WalConfig config) {
    this.vfs = vfs;
    this.segments = segments;
    this.io = io;
    this.spares = spares;
    this.config = config;
  }

  /**
   * Makes {@code lsn} the logical first LSN, durably, then deletes (or keeps for recycling) every
   * segment whose records all have LSNs below it, except the newest. Every record below {@code lsn}
   * is durable. Runs without the I/O roles, while appends, flushes and rotations go on: it touches
   * only the meta file (through {@link SegmentIo#writeMeta}) and segments older than the active
   * one; {@link Segments} takes a rotation's new segment and this removal in either order.
   */
  void dropBefore(long lsn) throws IOException {
    long oldest = segments.oldestFirstLsn();
    if (lsn > segments.logicalFirstLsn() && lsn > oldest) {
      io.writeMeta(new LogMeta(lsn, 0));
      segments.logicalFirstLsn(lsn);
    }
    while (true) {
      long[] firstLsns = segments.snapshot();
      if (firstLsns.length < 2 || firstLsns[1] > lsn) {
        return;
      }
      io.clearCleanMarker();
      segments.removeOldest();
      spares.recycle(SegmentNames.segmentName(firstLsns[0])); // renamed or deleted
      vfs.syncDirectory();
    }
  }

  /**
   * Discards every record, durably, so that the next append gets {@code nextLsn}; see {@link
   * LogMeta} for why a crash at any step leaves the old log or the new empty one. Every record is
   * durable and written when this runs.
   *
   * @return where appends continue
   */
  GroupCommit.Tail reset(long nextLsn, int blockBytes) throws IOException {
    io.writeMeta(new LogMeta(nextLsn, nextLsn));
    io.replaceActive(null);
    for (String name : vfs.list()) {
      if (SegmentNames.parseSegmentName(name) > 0) {
        vfs.delete(name);
      }
    }
    spares.discardRecycled(); // their records may carry the LSNs the log starts again at
    vfs.syncDirectory();
    segments.replaceAll(new SegmentIndex[0], nextLsn);
    return startFresh(vfs, io, config, nextLsn, blockBytes);
  }

  /**
   * Creates the empty segment a new (or reset) log starts with, then clears a reset from the meta
   * file: the last step of a reset, and the only one of a new log.
   */
  static GroupCommit.Tail startFresh(
      Vfs vfs, SegmentIo io, WalConfig config, long nextLsn, int blockBytes) throws IOException {
    SegmentHeader header =
        new SegmentHeader(nextLsn, ThreadLocalRandom.current().nextLong(), blockBytes);
    SegmentIndex index = new SegmentIndex(nextLsn, config.segmentBytes());
    io.startSegment(header, index, true); // nothing waits yet: a preallocated segment is worth it
    LogMeta meta = LogMeta.read(vfs);
    if (meta.resetLsn() != 0) {
      new LogMeta(meta.firstLsn(), 0).write(vfs);
    }
    return new GroupCommit.Tail(
        nextLsn,
        header.salt(),
        Layout.dataOffset(blockBytes),
        Layout.alignDown(config.segmentBytes(), blockBytes),
        blockBytes,
        index);
  }

  /**
   * Cuts every record after {@code lsn}; every record is durable and written when this runs.
   *
   * @return where appends continue
   */
  GroupCommit.Tail cutAfter(long lsn, int vfsBlockBytes) throws IOException {
    io.clearCleanMarker();
    return copyUpTo(lsn, vfsBlockBytes, true);
  }

  /**
   * Rewrites the newest segment, whose last record is {@code lastLsn}, into a new file, as {@link
   * #cutAfter} does but without waiting for a preallocated spare: the copy is as long as the
   * records, and the segment grows as appends write it (as after a rotation that found no spare
   * ready) until the next rotation. See {@link WriteAheadLog#open} for why.
   *
   * @return where appends continue
   */
  GroupCommit.Tail rewriteNewest(long lastLsn, long writeOffset, int vfsBlockBytes)
      throws IOException {
    // Zeros past the records go first: on a nearly full disk, their space makes room for the
    // copy. The file stays a valid segment (one that grew as it was written) if a crash follows.
    VfsFile newest = io.active();
    if (newest.size() > writeOffset) {
      newest.truncate(writeOffset);
    }
    return copyUpTo(lastLsn, vfsBlockBytes, false);
  }

  private GroupCommit.Tail copyUpTo(long lsn, int vfsBlockBytes, boolean preallocated)
      throws IOException {
    long[] firstLsns = segments.snapshot();
    long keptFirstLsn = Segments.segmentFor(firstLsns, lsn + 1);
    io.replaceActive(null);
    for (int i = firstLsns.length - 1; firstLsns[i] > keptFirstLsn; i--) {
      segments.cutAfter(firstLsns[i - 1]);
      vfs.delete(SegmentNames.segmentName(firstLsns[i]));
      vfs.syncDirectory();
    }
    segments.cutAfter(keptFirstLsn);
    String name = SegmentNames.segmentName(keptFirstLsn);
    SparePreparer.Spare spare =
        preallocated ? spares.take() : new SparePreparer.Spare(spares.takeEmpty(), 0, 0);
    SegmentHeader header;
    long writeOffset;
    SegmentIndex index;
    try (VfsFile kept = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      SegmentScanner scanner = SegmentScanner.open(kept, name, keptFirstLsn, Recovery.CHUNK_BYTES);
      index = new SegmentIndex(keptFirstLsn, Math.max(config.segmentBytes(), kept.size()));
      SegmentCheck check = new SegmentCheck(scanner, Long.MAX_VALUE).indexInto(index);
      check.run(lsn);
      if (check.lastLsn() != lsn) {
        throw check.corruption("while looking for the end of LSN " + lsn + " to cut after it");
      }
      // The copy's header names the salt of what the file held before, if anything.
      header = scanner.header().withPreviousSalt(spare.previousSalt());
      writeOffset = copyKept(kept, spare.file(), check);
      spare.file().write(0, header.encode());
      io.activeHeader(header, spare.bytes());
      io.writeEndOfLog(spare.file(), writeOffset);
    } catch (IOException | RuntimeException e) {
      spare.file().close();
      throw e;
    }
    spares.install(spare.file(), name);
    io.replaceActive(vfs.open(name, Vfs.OpenMode.EXISTING));
    segments.replaceNewest(index);
    long capacity = Math.max(config.segmentBytes(), io.active().size());
    int blockBytes = Math.max(vfsBlockBytes, header.blockBytes());
    return new GroupCommit.Tail(
        lsn + 1,
        header.salt(),
        writeOffset,
        Layout.alignDown(capacity, blockBytes),
        blockBytes,
        index);
  }

  /**
   * Copies the segment up to the check's position and closes the batch; returns its end. If the
   * cut falls inside an atomic group, the last kept record loses its CONTINUED bit, so that
   * recovery keeps it.
   */
  private static long copyKept(VfsFile kept, VfsFile spare, SegmentCheck check) throws IOException {
    int blockBytes = check.scanner().header().blockBytes();
    long cut = check.position;
    long lastBlock = Layout.alignDown(cut, blockBytes);
    // A segment that was not preallocated and holds no record ends with its header.
    long copyEnd = Math.min(lastBlock, kept.size());
    ByteBuffer chunk = Buffers.allocateAligned(COPY_CHUNK_BYTES);
    for (long offset = 0; offset < copyEnd; offset += COPY_CHUNK_BYTES) {
      chunk.clear().limit((int) Math.min(COPY_CHUNK_BYTES, copyEnd - offset));
      kept.readFully(offset, chunk);
      spare.write(offset, chunk.flip());
    }
    RecordEncoder encoder = new RecordEncoder();
    encoder.salt(check.scanner().header().salt());
    long end = check.atBatchStart ? cut : Layout.alignUp(cut + RECORD_HEADER_BYTES, blockBytes);
    if (end > lastBlock) {
      ByteBuffer block = Buffers.allocateAligned((int) (end - lastBlock));
      block.limit((int) (cut - lastBlock));
      kept.readFully(lastBlock, block);
      block.clear();
      encoder.trailer(block, (int) (cut - lastBlock), blockBytes, check.lastDurableLsn);
      spare.write(lastBlock, block);
    }
    if (check.endsInsideGroup()) {
      long at = check.lastRecordPosition();
      ByteBuffer record = ByteBuffer.allocate((int) (cut - at)).order(ByteOrder.LITTLE_ENDIAN);
      kept.readFully(at, record);
      int length = RecordDecoder.lengthOf(record.getInt(WalFormat.RECORD_LENGTH_OFFSET));
      record.putInt(WalFormat.RECORD_LENGTH_OFFSET, length);
      encoder.seal(record, 0, length);
      spare.write(at, record.clear());
    }
    return end;
  }
}
