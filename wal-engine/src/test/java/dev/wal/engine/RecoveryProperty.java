package dev.wal.engine;

import dev.wal.CorruptLogException;
import dev.wal.LogRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What opening a log must do with whatever files it finds, checked for one set of files: the
 * property the fuzzer and the corruption tests assert.
 *
 * <ul>
 *   <li>Opening either succeeds (a clean open or a torn-tail repair) or throws {@link
 *       CorruptLogException} naming one of the segment files and an offset inside it, with every
 *       file left as it was. Any other exception fails the check.
 *   <li>After a successful open, every record from the first LSN to the last reads back in order
 *       (recovery checked them all), also through a reader that seeks to the middle and through
 *       point reads by the index recovery rebuilt; a cut after the middle record and an append
 *       then leave a log that reopens cleanly with that record at its end, so that a repair is
 *       for good.
 *   <li>When the appended payloads are known (damage that cannot forge a checksum), every record
 *       read back is the one appended with its LSN.
 *   <li>Bounded work and memory: the bytes read stay within a small multiple of the files' bytes,
 *       and no buffer handed to storage is larger than the log's fixed chunk or twice the largest
 *       file (the log's buffers are what a length field could inflate). The fuzzing run adds a
 *       small heap and direct-memory limit (see {@code FUZZING.md}).
 * </ul>
 */
final class RecoveryProperty {
  private RecoveryProperty() {}

  /** What opening the files did. */
  enum Outcome {
    OPENED,
    CORRUPT
  }

  private static final byte[] AFTER_RECOVERY = Payloads.text("after recovery");
  private static final long READ_FACTOR = 64;
  private static final long SLACK_BYTES = 64 << 10;

  /**
   * Plants the files in a new storage and checks the property.
   *
   * @param sizes sizes of files that continue with zeros past their bytes
   * @param appended the payloads appended at LSN 1, 2, ..., or null if the damage may have forged
   *     records
   * @param context what was done to the files, for failure messages
   */
  static Outcome check(Map<String, byte[]> files, Map<String, Long> sizes, int sectorSize,
      WalConfig config, List<byte[]> appended, String context) throws IOException {
    SparseVfs vfs = new SparseVfs(sectorSize);
    files.forEach((name, bytes) -> vfs.put(name, bytes, sizes.getOrDefault(name, 0L)));
    Map<String, byte[]> before = vfs.snapshot();
    long inputBytes = vfs.totalBytes();
    long largestFile = before.keySet().stream().mapToLong(vfs::size).max().orElse(0);
    WriteAheadLog log;
    try {
      log = WriteAheadLog.open(vfs, config);
    } catch (CorruptLogException e) {
      checkBounds(vfs, inputBytes, largestFile, context);
      checkCorruption(e, vfs, before, context);
      return Outcome.CORRUPT;
    }
    checkBounds(vfs, inputBytes, largestFile, context);
    long first;
    long last;
    try (log) {
      first = log.firstLsn();
      last = log.lastLsn();
      checkReadBack(log, first, first, last, appended, last, context + "; first open");
      if (last > first) {
        // A reader that seeks, and a cut in the middle of what recovery accepted.
        long middle = first + (last - first) / 2;
        checkReadBack(log, first, middle, last, appended, last, context + "; from " + middle);
        log.truncateAfter(middle);
        last = middle;
      }
      long lsn = log.append(AFTER_RECOVERY, 7);
      require(lsn == last + 1,
          "an append after recovery got LSN " + lsn + " after " + last, context);
    }
    try (WriteAheadLog reopened = WriteAheadLog.open(vfs, config)) {
      require(reopened.lastLsn() == last + 1 && reopened.firstLsn() == first,
          "reopened with LSNs " + reopened.firstLsn() + " to " + reopened.lastLsn()
              + " where " + first + " to " + (last + 1) + " were expected", context);
      checkReadBack(reopened, first, first, last + 1, appended, last, context + "; reopened");
    } catch (CorruptLogException e) {
      throw new AssertionError("a log that opened is corrupt when reopened: " + e + "; " + context,
          e);
    }
    checkBounds(vfs, inputBytes, largestFile, context);
    return Outcome.OPENED;
  }

  private static void checkCorruption(CorruptLogException e, SparseVfs vfs,
      Map<String, byte[]> before, String context) {
    String segment = e.segment();
    boolean logsFile =
        SegmentNames.parseSegmentName(segment) > 0 || segment.equals(SegmentNames.META);
    require(logsFile && before.containsKey(segment),
        "corruption names '" + segment + "', not a log file in the directory: " + e, context);
    require(e.offset() >= 0 && e.offset() <= Math.max(vfs.size(segment), 0),
        "corruption at offset " + e.offset() + " of a file of " + vfs.size(segment) + " bytes: "
            + e, context);
    Map<String, byte[]> after = vfs.snapshot();
    require(after.keySet().equals(before.keySet()),
        "files changed from " + before.keySet() + " to " + after.keySet() + " by " + e, context);
    before.forEach((name, bytes) -> require(Arrays.equals(bytes, after.get(name)),
        "'" + name + "' was changed by a failed open: " + e, context));
  }

  /**
   * Reads LSNs {@code from} to {@code last} of a log that starts at {@code first}; those after
   * {@code recovered} must be {@link #AFTER_RECOVERY}.
   */
  private static void checkReadBack(WriteAheadLog log, long first, long from, long last,
      List<byte[]> appended, long recovered, String context) throws IOException {
    List<Payloads.Read> records;
    require(log.firstLsn() == first, "the log starts at " + log.firstLsn(), context);
    try {
      records = Payloads.readAll(log, from);
    } catch (CorruptLogException e) {
      throw new AssertionError("recovery accepted what the reader finds corrupt: " + e + "; "
          + context, e);
    }
    require(records.size() == last - from + 1,
        "read " + records.size() + " records where LSNs " + from + " to " + last + " exist",
        context);
    for (int i = 0; i < records.size(); i += Math.max(1, records.size() / 3)) {
      checkPointRead(log, records.get(i), context); // through the index recovery rebuilt
    }
    for (int i = 0; i < records.size(); i++) {
      Payloads.Read record = records.get(i);
      require(record.lsn() == from + i, "read LSN " + record.lsn() + " at " + (from + i),
          context);
      if (record.lsn() > recovered) {
        require(Arrays.equals(record.payload(), AFTER_RECOVERY),
            "LSN " + record.lsn() + ", appended after recovery, reads back wrong", context);
        continue;
      }
      boolean known = appended != null && record.lsn() <= appended.size();
      require(!known || Arrays.equals(record.payload(), appended.get((int) record.lsn() - 1)),
          "LSN " + record.lsn() + " reads back a payload that was never appended", context);
    }
  }

  private static void checkPointRead(WriteAheadLog log, Payloads.Read expected, String context)
      throws IOException {
    LogRecord record;
    try {
      record = log.read(expected.lsn());
    } catch (CorruptLogException e) {
      throw new AssertionError("a point read finds corrupt what the reader read: " + e + "; "
          + context, e);
    }
    byte[] payload = new byte[record.payload().remaining()];
    record.payload().duplicate().get(payload);
    require(record.lsn() == expected.lsn() && Arrays.equals(payload, expected.payload()),
        "a point read of LSN " + expected.lsn() + " differs from the reader's", context);
  }

  private static void checkBounds(SparseVfs vfs, long inputBytes, long largestFile,
      String context) {
    long readLimit = READ_FACTOR * (inputBytes + SLACK_BYTES);
    require(vfs.bytesRead() <= readLimit,
        "read " + vfs.bytesRead() + " bytes of " + inputBytes + " (limit " + readLimit + ")",
        context);
    long bufferLimit = Math.max(Recovery.CHUNK_BYTES, 2 * largestFile + WalFormat.MAX_BLOCK_BYTES);
    require(vfs.largestBuffer() <= bufferLimit,
        "handed storage a buffer of " + vfs.largestBuffer() + " bytes for files of at most "
            + largestFile, context);
  }

  private static void require(boolean ok, String problem, String context) {
    if (!ok) {
      throw new AssertionError(problem + "; " + context);
    }
  }
}
