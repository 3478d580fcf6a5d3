package dev.wal.engine;

import static dev.wal.engine.WalFormat.RECORD_HEADER_BYTES;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Opens a log's segments, finds the last intact record and repairs a torn tail.
 *
 * <p><b>Three cases</b>, decided per segment by reading forward from its first batch:
 *
 * <ol>
 *   <li><b>Valid</b>: the records carry consecutive LSNs and the segment ends with a trailer
 *       followed by zeros. Nothing is changed.
 *   <li><b>Torn tail</b>: in the newest segment, the bytes after the last intact record are damaged
 *       or missing, and every intact record found further on was written while the damaged bytes
 *       had not yet been made durable. Such a tail was never acknowledged; it is cut off for good:
 *       the damaged batch is closed with a trailer and everything after it is zeroed and flushed
 *       before the log accepts appends, so cut records never come back.
 *   <li><b>Corruption</b>: damage anywhere in an older segment (a newer segment exists only once the
 *       older one was flushed whole), or damage in the newest segment followed by an intact record
 *       that was written after the damaged bytes had been made durable. Opening throws {@link
 *       CorruptLogException} naming the segment, the offset and what was found, and nothing on
 *       disk is changed.
 * </ol>
 *
 * <p><b>The rule that tells 2 from 3.</b> Writes and flushes are sequential, and a flush covers
 * every batch written before it began. Each record carries {@code durableLsn}, the log's flushed
 * LSN when the record was encoded. Let the damage start right after the last intact item, whose
 * data record has LSN {@code L}. If that item is a trailer (or the segment's start), the damaged
 * bytes belong to the batch holding {@code L + 1}; otherwise to the batch holding {@code L}. An
 * intact record after the damage with {@code durableLsn >= L + 1} (after a trailer) or {@code
 * durableLsn >= L} (inside a batch) was written after a flush that covered the damaged batch, so
 * the damaged bytes had been durable: corruption. In a state a crash can leave, no intact record
 * meets that bound, since the last completed flush covered no LSN of the damaged batch. The one
 * thing the rule cannot see is damage in records that became durable only by the last flush and
 * that no later record vouches for; that is cut as a torn tail.
 *
 * <p>Because batches start at block (sector) boundaries, the repair's write touches only the
 * sectors of the damaged batch, never those of acknowledged records.
 */
final class Recovery {
  private Recovery() {}

  static final int CHUNK_BYTES = 2 << 20;

  /**
   * What recovery found.
   *
   * @param firstLsns the segments' first LSNs, oldest first; empty for a new log
   * @param active the open handle of the newest segment, or null for a new log
   * @param activeHeader its header, or null
   * @param nextLsn the LSN the next append gets
   * @param writeOffset where the next batch goes in the newest segment
   * @param report the files ignored and the tail cut
   */
  record Result(
      long[] firstLsns,
      VfsFile active,
      SegmentHeader activeHeader,
      long nextLsn,
      long writeOffset,
      RecoveryReport report) {}

  static Result recover(Vfs vfs, WalConfig config) throws IOException {
    List<String> names = new ArrayList<>();
    List<Long> lsns = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String name : vfs.list()) {
      long lsn = SegmentNames.parseSegmentName(name);
      if (lsn > SegmentNames.MAX_FIRST_LSN) {
        throw new CorruptLogException(
            name, 0, "a segment name claiming first LSN " + lsn + ", past any log's reach (2^62)"
                + " where the LSNs after it would overflow (not this log's segment?)");
      }
      if (lsn > 0) {
        names.add(name);
        lsns.add(lsn);
      } else if (!name.equals(SegmentNames.LOCK) && !name.equals(SegmentNames.SPARE)) {
        ignored.add(name);
      }
    }
    Collections.sort(ignored);
    if (names.isEmpty()) {
      return new Result(new long[0], null, null, 1, 0, new RecoveryReport(ignored, null, -1));
    }
    long[] firstLsns = lsns.stream().mapToLong(Long::longValue).toArray();
    long nextLsn = -1;
    for (int i = 0; i < names.size() - 1; i++) {
      try (VfsFile file = vfs.open(names.get(i), Vfs.OpenMode.EXISTING)) {
        SegmentCheck check = check(file, names.get(i), firstLsns[i], nextLsn, config);
        if (!check.endedCleanly()) {
          throw check.corruption(
              "in a segment followed by newer ones (a segment is flushed whole before the next"
                  + " one is created)");
        }
        nextLsn = check.lastLsn() + 1;
      }
    }
    String lastName = names.get(names.size() - 1);
    VfsFile last = vfs.open(lastName, Vfs.OpenMode.EXISTING);
    boolean success = false;
    try {
      long lastFirstLsn = firstLsns[firstLsns.length - 1];
      SegmentCheck check = check(last, lastName, lastFirstLsn, nextLsn, config);
      if (!check.endedCleanly()) {
        // Read it again before cutting a torn tail for good: one read may have failed silently
        // (a flipped bit on the way), and the cut would destroy intact records that no later
        // record vouches for.
        check = check(last, lastName, lastFirstLsn, nextLsn, config);
      }
      SegmentScanner scanner = check.scanner();
      // Past the damage, lengths over the configured maximum are taken for garbage, so that
      // garbage cannot make the scan read huge spans at every offset.
      long candidateBytes = Math.max(config.maxRecordBytes(), WalFormat.MAX_BLOCK_BYTES);
      long junkEnd = scanTail(scanner, check, candidateBytes);
      long writeOffset = check.position;
      RecoveryReport report = new RecoveryReport(ignored, null, -1);
      if (!check.endedCleanly() || junkEnd > check.position) {
        report = new RecoveryReport(ignored, lastName, check.position);
        writeOffset = repair(scanner, check, junkEnd);
      }
      last.flush();
      vfs.syncDirectory();
      success = true;
      return new Result(
          firstLsns, last, scanner.header(), check.lastLsn() + 1, writeOffset, report);
    } finally {
      if (!success) {
        last.close();
      }
    }
  }

  private static SegmentCheck check(
      VfsFile file, String name, long firstLsn, long expectedFirstLsn, WalConfig config)
      throws IOException {
    SegmentScanner scanner = SegmentScanner.open(file, name, firstLsn, CHUNK_BYTES);
    if (expectedFirstLsn > 0 && firstLsn != expectedFirstLsn) {
      throw new CorruptLogException(
          name,
          WalFormat.HEADER_FIRST_LSN_OFFSET,
          "segment starts at LSN "
              + firstLsn
              + " but the segment before it ends at LSN "
              + (expectedFirstLsn - 1)
              + " (a segment missing?)");
    }
    // A record is checked against what the file allows, never against the configuration: a log
    // written with a larger maximum must reopen whole under a smaller one.
    SegmentCheck check = new SegmentCheck(scanner, Long.MAX_VALUE);
    check.run(Long.MAX_VALUE);
    return check;
  }

  /**
   * Reads the rest of the newest segment after where the check stopped: throws if an intact record
   * there proves the damage is corruption (see the class documentation), and otherwise returns
   * the offset just past the last non-zero bytes, which the repair zeroes.
   */
  static long scanTail(SegmentScanner scanner, SegmentCheck check, long maxRecordBytes)
      throws IOException {
    long bound = check.atBatchStart ? check.expectedLsn : check.expectedLsn - 1;
    RecordDecoder decoder = scanner.decoder();
    long offset = check.position;
    long junkEnd = offset;
    while (true) {
      offset = scanner.skipZeros(offset);
      if (offset >= scanner.fileSize()) {
        return junkEnd;
      }
      junkEnd = Math.max(junkEnd, offset + 8);
      if (scanner.decodeAt(offset, maxRecordBytes) != RecordDecoder.VALID) {
        offset += 8;
        continue;
      }
      boolean writtenAfterDurable = decoder.durableLsn >= bound;
      boolean stale = !decoder.isTrailer() && decoder.lsn < check.expectedLsn;
      if (writtenAfterDurable || stale) {
        throw check.corruption(
            "followed at offset "
                + offset
                + " by an intact "
                + (decoder.isTrailer() ? "trailer" : "record with LSN " + decoder.lsn)
                + " written when LSN "
                + decoder.durableLsn
                + " was durable, so the damage is not a torn write");
      }
      offset += decoder.recordBytes();
      junkEnd = Math.max(junkEnd, offset);
    }
  }

  /**
   * Cuts a torn tail: closes the damaged batch with a trailer at the check's position (unless it
   * stopped at a batch start), zeroes up to {@code junkEnd} and flushes.
   *
   * @return where the next batch goes
   */
  static long repair(SegmentScanner scanner, SegmentCheck check, long junkEnd) throws IOException {
    VfsFile file = scanner.file();
    int blockBytes = scanner.header().blockBytes();
    long cut = check.position;
    long blockStart = Layout.alignDown(cut, blockBytes);
    long writeOffset = check.atBatchStart ? cut : Layout.alignUp(cut + RECORD_HEADER_BYTES, blockBytes);
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
    writeZeros(file, writeOffset, Layout.alignUp(junkEnd, blockBytes));
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
