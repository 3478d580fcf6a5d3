package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What recovery's check of the newest segment found, and the cut of its torn tail: where its
 * intact records end (the check's position), and how far junk reaches after them ({@link
 * #junkEnd}, found by {@link #scanTail}, which also tells a torn tail from corruption as {@link
 * Recovery}'s class documentation says).
 *
 * <p>Instances are <b>not</b> thread-safe; recovery uses one before the log is shared.
 */
final class NewestSegment {
  final SegmentScanner scanner;
  final SegmentCheck check;
  final long junkEnd;

  private NewestSegment(SegmentScanner scanner, SegmentCheck check, long junkEnd) {
    this.scanner = scanner;
    this.check = check;
    this.junkEnd = junkEnd;
  }

  /** {@return whether the segment has a torn tail to cut} */
  boolean torn() {
    return !check.endedCleanly() || junkEnd > check.position;
  }

  /** Checks the newest segment without changing it; fills in {@code indexes}' last slot. */
  static NewestSegment check(
      VfsFile last,
      String name,
      long[] firstLsns,
      SegmentIndex[] indexes,
      long expectedFirstLsn,
      WalConfig config)
      throws IOException {
    int newest = indexes.length - 1;
    long indexBytes = Math.max(config.segmentBytes(), last.size());
    SegmentCheck check =
        Recovery.check(last, name, firstLsns[newest], expectedFirstLsn, indexes[newest], null);
    if (!check.endedCleanly()) {
      // Read it again before cutting a torn tail for good: one read may have failed silently
      // (a flipped bit on the way), and the cut would destroy intact records that no later
      // record vouches for.
      indexes[newest] = new SegmentIndex(firstLsns[newest], indexBytes);
      check =
          Recovery.check(last, name, firstLsns[newest], expectedFirstLsn, indexes[newest], null);
    }
    // Records after the damage are checked against the highest LSN none of them may carry: the
    // one the damaged position should hold if it starts a batch. Inside a batch, the damaged
    // item may be the batch's trailer, and that LSN then starts a later batch: one LSN less.
    long damagePosition = check.position;
    long damageLsn = check.atBatchStart ? check.expectedLsn : check.expectedLsn - 1;
    if (check.endsInsideGroup()) {
      // A batch append that is not whole on disk was never acknowledged: cut all of it.
      check.backUpToGroupStart();
      indexes[newest] = indexes[newest].copyUpTo(check.lastLsn(), indexBytes);
    }
    SegmentScanner scanner = check.scanner();
    // Past the damage, lengths over the configured maximum are taken for garbage, so that
    // garbage cannot make the scan read huge spans at every offset.
    long candidateBytes = Math.max(config.maxRecordBytes(), WalFormat.MAX_BLOCK_BYTES);
    long junkEnd = scanTail(scanner, check, damagePosition, damageLsn, candidateBytes);
    return new NewestSegment(scanner, check, junkEnd);
  }

  /**
   * Reads the rest of the newest segment from {@code from}, where the check met damage (or zeros):
   * throws if an intact record there proves the damage is corruption (see {@link Recovery}), and
   * otherwise returns the offset just past the last non-zero bytes, which the repair zeroes. An
   * intact record with an LSN of at most {@code damageLsn} is corruption too: writes are
   * sequential, so no crash leaves a record after the place where it (or a later one) belonged; a
   * misdirected write can. ({@code damageLsn} is the last intact record's LSN when the damage is
   * inside a batch, since the damaged item may be its trailer and the next LSN start a later
   * batch; the next LSN when the damage starts a batch.)
   *
   * <p>In a recycled file, the records of the segment it held before (their checksums match its
   * previous salt, or their LSNs are below its first) are skipped whole, and the bytes between them
   * are not junk to zero: a batch or the zeros after it cut one of them in two, and no record can
   * come from them. Only this segment's records found here are zeroed by the repair.
   */
  static long scanTail(
      SegmentScanner scanner, SegmentCheck check, long from, long damageLsn, long maxRecordBytes)
      throws IOException {
    long bound = check.atBatchStart ? check.expectedLsn : check.expectedLsn - 1;
    RecordDecoder decoder = scanner.decoder();
    SegmentHeader header = scanner.header();
    long offset = from;
    long junkEnd = Math.max(from, check.position);
    while (true) {
      offset = scanner.skipZeros(offset);
      if (offset >= scanner.fileSize()) {
        return junkEnd;
      }
      int status = scanner.decodeAt(offset, maxRecordBytes);
      if (status == RecordDecoder.VALID
          && header.recycled()
          && !decoder.isTrailer()
          && decoder.lsn < header.firstLsn()) {
        status = RecordDecoder.STALE; // an earlier record whose checksum matched both salts
      }
      if (status == RecordDecoder.STALE) {
        offset += decoder.recordBytes();
        continue;
      }
      if (status != RecordDecoder.VALID) {
        // In a recycled file, bytes between its earlier records (one that a batch or the zeros
        // after it cut in two) are expected; no record can come from them.
        junkEnd = header.recycled() ? junkEnd : Math.max(junkEnd, offset + 8);
        offset += 8;
        continue;
      }
      junkEnd = Math.max(junkEnd, offset + 8);
      boolean writtenAfterDurable = decoder.durableLsn >= bound;
      boolean stale = !decoder.isTrailer() && decoder.lsn <= damageLsn;
      if (writtenAfterDurable || stale) {
        throw check.corruption(
            "followed at offset "
                + offset
                + " by an intact "
                + (decoder.isTrailer() ? "trailer" : "record with LSN " + decoder.lsn)
                + " written when LSN "
                + decoder.durableLsn
                + " was durable, so the damage is not a torn write"
                + (stale ? " (a misdirected write?)" : ""));
      }
      offset += decoder.recordBytes();
      junkEnd = Math.max(junkEnd, offset);
    }
  }

  /**
   * Cuts the torn tail: closes the damaged batch with a trailer at the check's position (unless
   * it stopped at a batch start), zeroes up to {@link #junkEnd} and flushes.
   *
   * @return where the next batch goes
   */
  long repair() throws IOException {
    VfsFile file = scanner.file();
    int blockBytes = scanner.header().blockBytes();
    long cut = check.position;
    long blockStart = Layout.alignDown(cut, blockBytes);
    long writeOffset =
        check.atBatchStart ? cut : Layout.alignUp(cut + RECORD_HEADER_BYTES, blockBytes);
    if (writeOffset > blockStart) {
      ByteBuffer block = Buffers.allocateAligned((int) (writeOffset - blockStart));
      block.limit((int) (cut - blockStart));
      file.readFully(blockStart, block);
      block.clear();
      RecordEncoder encoder = new RecordEncoder();
      encoder.salt(scanner.header().salt());
      encoder.trailer(block, (int) (cut - blockStart), blockBytes, check.lastDurableLsn);
      file.write(blockStart, block);
    }
    long zerosEnd = Layout.alignUp(junkEnd, blockBytes);
    if (scanner.header().recycled()) {
      // The zeros that end the log in a recycled file (see WalFormat), over its earlier records.
      zerosEnd = Math.max(zerosEnd, Math.min(writeOffset + blockBytes, scanner.fileSize()));
    }
    writeZeros(file, writeOffset, zerosEnd);
    file.flush();
    return writeOffset;
  }

  static void writeZeros(VfsFile file, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(0, to - from)));
    for (long offset = from; offset < to; offset += zeros.capacity()) {
      file.write(offset, zeros.clear().limit((int) Math.min(zeros.capacity(), to - offset)));
    }
  }
}
