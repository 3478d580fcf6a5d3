package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The I/O of both truncations, run by the thread holding the log's I/O role.
 *
 * <p><b>truncateBefore</b> deletes whole segments, oldest first, syncing the directory after each
 * delete: a crash at any point leaves a contiguous range of segments.
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

  /** Deletes every segment whose records all have LSNs below {@code lsn}, except the newest. */
  void dropBefore(long lsn) throws IOException {
    while (true) {
      long[] firstLsns = segments.snapshot();
      if (firstLsns.length < 2 || firstLsns[1] > lsn) {
        return;
      }
      segments.removeOldest();
      vfs.delete(SegmentNames.segmentName(firstLsns[0]));
      vfs.syncDirectory();
    }
  }

  /**
   * Cuts every record after {@code lsn}; every record is durable and written when this runs.
   *
   * @return where appends continue
   */
  GroupCommit.Tail cutAfter(long lsn, int vfsBlockBytes) throws IOException {
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
    VfsFile spare = spares.take();
    SegmentHeader header;
    long writeOffset;
    try (VfsFile kept = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      SegmentScanner scanner = SegmentScanner.open(kept, name, keptFirstLsn, Recovery.CHUNK_BYTES);
      SegmentCheck check = new SegmentCheck(scanner, Long.MAX_VALUE);
      check.run(lsn);
      if (check.lastLsn() != lsn) {
        throw check.corruption("while looking for the end of LSN " + lsn + " to cut after it");
      }
      header = scanner.header();
      writeOffset = copyKept(kept, spare, check);
    } catch (IOException | RuntimeException e) {
      spare.close();
      throw e;
    }
    spares.install(spare, name);
    io.replaceActive(vfs.open(name, Vfs.OpenMode.EXISTING));
    long capacity = Math.max(config.segmentBytes(), io.active().size());
    int blockBytes = Math.max(vfsBlockBytes, header.blockBytes());
    return new GroupCommit.Tail(
        lsn + 1, header.salt(), writeOffset, Layout.alignDown(capacity, blockBytes), blockBytes);
  }

  /** Copies the segment up to the check's position and closes the batch; returns its end. */
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
    long end = check.atBatchStart ? cut : Layout.alignUp(cut + RECORD_HEADER_BYTES, blockBytes);
    if (end > lastBlock) {
      ByteBuffer block = Buffers.allocateAligned((int) (end - lastBlock));
      block.limit((int) (cut - lastBlock));
      kept.readFully(lastBlock, block);
      block.clear();
      RecordEncoder encoder = new RecordEncoder();
      encoder.salt(check.scanner().header().salt());
      encoder.trailer(block, (int) (cut - lastBlock), blockBytes, check.lastDurableLsn);
      spare.write(lastBlock, block);
    }
    return end;
  }
}
