package dev.wal.engine;

import dev.wal.CorruptLogException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
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
 *       or missing (or the last intact record belongs to an atomic group whose last record is
 *       not there: the whole group is cut, as it was never acknowledged), and every intact
 *       record found further on was written while the damaged bytes had not yet been made
 *       durable. Such a tail was never acknowledged; it is cut off for good: the damaged batch is
 *       closed with a trailer and everything after it is zeroed and flushed before the log
 *       accepts appends, so cut records never come back.
 *   <li><b>Corruption</b>: damage anywhere in an older segment (a newer segment exists only once
 *       the older one was flushed whole), or damage in the newest segment followed by an intact
 *       record that was written after the damaged bytes had been made durable. Opening throws
 *       {@link CorruptLogException} naming the segment, the offset and what was found, and
 *       nothing on disk is changed.
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
 * <p><b>Recycled files.</b> A segment whose file held another segment before ({@link
 * SegmentHeader#recycled}) has that segment's records after its own end. Every batch written
 * there is followed by a block of zeros, so the end reads as in a new file; the old records are
 * recognized by the previous salt in the header and are neither records of the log nor damage
 * (see {@link NewestSegment#scanTail}).
 *
 * <p>Because batches start at block (sector) boundaries, the repair's write touches only the
 * sectors of the damaged batch, never those of acknowledged records.
 *
 * <p><b>Where the damage is reported.</b> An older segment that ends cleanly (zeros after a
 * trailer) before the LSN the next segment starts at is damaged itself when non-zero bytes follow
 * those zeros (a batch lost or zeroed in place), and is reported there; with zeros to its end, the
 * report names the gap and both segments (its end lost, or a segment missing). An intact record
 * found after the damage in the newest segment with an LSN at or below the one the damaged
 * position should hold is corruption (a misdirected write): sequential writes never leave one.
 *
 * <p><b>The clean-close marker.</b> Recovery decides whether the meta file's marker matches the
 * newest segment (its name and size, the last LSN, no torn tail, and an end on a boundary of the
 * storage's sectors, so that appends continue without a gap); if not, it clears the marker
 * before it changes anything on disk. A log that matches is read and nothing is written: see
 * {@link WriteAheadLog#open} for why the opener then skips the rewrite of the newest segment.
 */
final class Recovery {
  private Recovery() {}

  static final int CHUNK_BYTES = 2 << 20;

  /**
   * What recovery found.
   *
   * @param firstLsns the segments' first LSNs, oldest first; empty for a new log
   * @param indexes the segments' indexes, in the same order
   * @param active the open handle of the newest segment, or null for a new log
   * @param activeHeader its header, or null
   * @param nextLsn the LSN the next append gets
   * @param writeOffset where the next batch goes in the newest segment
   * @param meta the meta file's content; if its reset LSN is not 0, the log holds no segment and
   *     the opener finishes the reset (see {@link LogMeta}). It holds a clean-close marker only if
   *     {@code closedCleanly}
   * @param report the files ignored and the tail cut
   * @param closedCleanly whether the meta's clean-close marker matches what recovery found (and
   *     recovery wrote nothing): every record read is durable, and the opener need not rewrite
   *     the newest segment (see {@link WriteAheadLog#open})
   */
  record Result(
      long[] firstLsns,
      SegmentIndex[] indexes,
      VfsFile active,
      SegmentHeader activeHeader,
      long nextLsn,
      long writeOffset,
      LogMeta meta,
      RecoveryReport report,
      boolean closedCleanly) {}

  /**
   * Recovers the log in {@code vfs}.
   *
   * @param listener told every record's tag from the logical first LSN on, or null
   */
  static Result recover(Vfs vfs, WalConfig config, RecoveryListener listener) throws IOException {
    LogMeta meta = LogMeta.read(vfs);
    List<String> names = new ArrayList<>();
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
      } else if (!SegmentNames.isLogsOwnFile(name)) {
        ignored.add(name);
      }
    }
    Collections.sort(ignored);
    RecoveryReport nothingCut = new RecoveryReport(ignored, null, -1);
    if (meta.resetLsn() != 0) {
      // A reset was made durable: finish it. Deleting in any order is safe, as a crash here
      // finds the same meta and deletes the rest.
      meta = clearCleanClose(vfs, meta);
      for (String name : names) {
        vfs.delete(name);
      }
      vfs.syncDirectory();
      return emptyResult(meta.resetLsn(), meta, nothingCut);
    }
    if (names.isEmpty()) {
      return emptyResult(Math.max(1, meta.firstLsn()), clearCleanClose(vfs, meta), nothingCut);
    }
    long firstLsn = meta.firstLsn();
    RecoveryListener tags =
        listener == null
            ? null
            : (lsn, tag) -> {
              if (lsn >= firstLsn) {
                listener.onRecord(lsn, tag);
              }
            };
    long[] firstLsns = names.stream().mapToLong(SegmentNames::parseSegmentName).toArray();
    SegmentIndex[] indexes = new SegmentIndex[names.size()];
    long nextLsn = checkOlderSegments(vfs, names, firstLsns, indexes, tags);
    VfsFile last = vfs.open(names.get(names.size() - 1), Vfs.OpenMode.EXISTING);
    boolean success = false;
    try {
      Result result = recoverNewest(vfs, meta, names, firstLsns, indexes, nextLsn, last, config,
          tags, ignored);
      success = true;
      return result;
    } finally {
      if (!success) {
        last.close();
      }
    }
  }

  /**
   * Checks the newest segment, decides whether the clean-close marker holds, clears it if not
   * and cuts a torn tail; then tells {@code tags} the newest segment's records, by reading them
   * again (its check may read twice and back up over a group that is not whole).
   *
   * @param ignored the files in the storage that are not the log's, for the report
   */
  private static Result recoverNewest(
      Vfs vfs,
      LogMeta meta,
      List<String> names,
      long[] firstLsns,
      SegmentIndex[] indexes,
      long expectedFirstLsn,
      VfsFile last,
      WalConfig config,
      RecoveryListener tags,
      List<String> ignored)
      throws IOException {
    int newest = names.size() - 1;
    String name = names.get(newest);
    indexes[newest] =
        new SegmentIndex(firstLsns[newest], Math.max(config.segmentBytes(), last.size()));
    NewestSegment found =
        NewestSegment.check(last, name, firstLsns, indexes, expectedFirstLsn, config);
    long lastLsn = found.check.lastLsn();
    checkMeta(meta, lastLsn + 1, name);
    boolean clean = !found.torn()
        && matches(meta.cleanClose(), found, firstLsns[newest])
        && continuesWithoutGap(vfs, found);
    if (!clean) {
      meta = clearCleanClose(vfs, meta); // before anything on disk changes
    }
    long writeOffset = found.check.position;
    RecoveryReport report = new RecoveryReport(ignored, null, -1);
    if (found.torn()) {
      report = new RecoveryReport(ignored, name, found.check.position);
      writeOffset = found.repair();
    }
    if (tags != null) {
      SegmentScanner scanner = SegmentScanner.open(last, name, firstLsns[newest], CHUNK_BYTES);
      new SegmentCheck(scanner, Long.MAX_VALUE).listenInto(tags).run(lastLsn);
    }
    return new Result(
        firstLsns,
        indexes,
        last,
        found.scanner.header(),
        lastLsn + 1,
        writeOffset,
        meta,
        report,
        clean);
  }

  private static boolean matches(
      LogMeta.CleanClose marker, NewestSegment found, long segmentFirstLsn)
      throws IOException {
    return marker != null
        && marker.segmentFirstLsn() == segmentFirstLsn
        && marker.segmentBytes() == found.scanner.fileSize()
        && marker.lastLsn() == found.check.lastLsn();
  }

  /**
   * {@return whether appends can go on where the newest segment's records end} A segment written
   * on smaller sectors than the storage's (a log copied to another disk) may end on a boundary of
   * its own blocks that is not one of the storage's: the next batch would go after a gap of zeros,
   * which the next recovery reads as the end of the log. The rewrite leaves no gap.
   */
  private static boolean continuesWithoutGap(Vfs vfs, NewestSegment found) {
    int storageBlockBytes = Math.max(vfs.capabilities().sectorSize(), WalFormat.MIN_BLOCK_BYTES);
    int blockBytes = Math.max(storageBlockBytes, found.scanner.header().blockBytes());
    return found.check.position % blockBytes == 0;
  }

  /** Writes the meta without its clean-close marker, if it has one; {@return the meta now} */
  private static LogMeta clearCleanClose(Vfs vfs, LogMeta meta) throws IOException {
    if (meta.cleanClose() == null) {
      return meta;
    }
    LogMeta cleared = meta.withoutCleanClose();
    cleared.write(vfs);
    return cleared;
  }

  /**
   * Checks every segment but the newest, which must each end cleanly with the record before the
   * next segment's first, and indexes them.
   *
   * @return the LSN the newest segment must start at, or -1 if there is only one segment
   */
  private static long checkOlderSegments(
      Vfs vfs, List<String> names, long[] firstLsns, SegmentIndex[] indexes, RecoveryListener tags)
      throws IOException {
    long nextLsn = -1;
    for (int i = 0; i < names.size() - 1; i++) {
      try (VfsFile file = vfs.open(names.get(i), Vfs.OpenMode.EXISTING)) {
        indexes[i] = new SegmentIndex(firstLsns[i], file.size());
        SegmentCheck check = check(file, names.get(i), firstLsns[i], nextLsn, indexes[i], tags);
        if (!check.endedCleanly()) {
          throw check.corruption(
              "in a segment followed by newer ones (a segment is flushed whole before the next"
                  + " one is created)");
        }
        if (check.lastLsn() + 1 < firstLsns[i + 1]) {
          throw endedEarly(check, names.get(i + 1), firstLsns[i + 1]);
        }
        nextLsn = check.lastLsn() + 1;
      }
    }
    return nextLsn;
  }

  /**
   * Reports an older segment whose records end before the next segment's first LSN. If non-zero
   * bytes follow the zeros where its check stopped, the zeros are damage in this segment (a lost
   * or zeroed batch) and are reported where they start; otherwise the gap may be a lost end of
   * this segment or a missing segment, and the report names both.
   */
  private static CorruptLogException endedEarly(
      SegmentCheck check, String nextName, long nextFirstLsn) throws IOException {
    SegmentScanner scanner = check.scanner();
    long nonZero = scanner.skipZeros(check.position);
    String missing =
        "records "
            + check.expectedLsn
            + " to "
            + (nextFirstLsn - 1)
            + " missing: the next segment "
            + nextName
            + " starts at LSN "
            + nextFirstLsn;
    if (nonZero < scanner.fileSize()) {
      return new CorruptLogException(
          scanner.name(),
          check.position,
          "zeros where LSN "
              + check.expectedLsn
              + " was expected, followed by non-zero bytes at offset "
              + nonZero
              + "; "
              + missing
              + " (damage in a segment that was flushed whole: hardware problem?)");
    }
    // The next batch's place may lie past the end of a file cut short: report the end then.
    return new CorruptLogException(
        scanner.name(),
        Math.min(check.position, scanner.fileSize()),
        "the segment ends at LSN "
            + check.lastLsn()
            + " with zeros to its end; "
            + missing
            + " (the end of this segment lost, or a segment missing?)");
  }

  private static Result emptyResult(long nextLsn, LogMeta meta, RecoveryReport report) {
    return new Result(
        new long[0], new SegmentIndex[0], null, null, nextLsn, 0, meta, report, false);
  }

  /** Refuses a logical first LSN past the end of the log: records it vouched for are missing. */
  private static void checkMeta(LogMeta meta, long nextLsn, String newestName)
      throws CorruptLogException {
    if (meta.firstLsn() > nextLsn) {
      throw new CorruptLogException(
          newestName,
          0,
          "the log ends at LSN "
              + (nextLsn - 1)
              + " but its meta file says records up to LSN "
              + (meta.firstLsn() - 1)
              + " existed and were truncated (records missing?)");
    }
  }

  static SegmentCheck check(
      VfsFile file,
      String name,
      long firstLsn,
      long expectedFirstLsn,
      SegmentIndex index,
      RecoveryListener tags)
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
              + " (segments overlap: a stray or misnamed file?)");
    }
    // A record is checked against what the file allows, never against the configuration: a log
    // written with a larger maximum must reopen whole under a smaller one.
    SegmentCheck check = new SegmentCheck(scanner, Long.MAX_VALUE).indexInto(index);
    check.listenInto(tags).run(Long.MAX_VALUE);
    return check;
  }

}
