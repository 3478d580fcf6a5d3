package dev.wal.engine;

import java.util.List;
import java.util.Optional;

/**
 * What opening a log found in its storage and did about it: the files it ignored, and the torn
 * tail it cut, if any. Get it from {@link WriteAheadLog#recoveryReport()}.
 *
 * <p>Design note: the log has no logging dependency and never logs and continues. What recovery
 * passes over without an error is said here instead, for the caller to log, alert on or refuse:
 * files whose names are not the log's (recovery neither reads, changes nor deletes them) and a
 * torn tail (records that were never acknowledged as durable, cut for good). Everything else that
 * is wrong on disk fails the open with a {@link dev.wal.CorruptLogException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RecoveryReport {
  private final List<String> ignoredFiles;
  private final String repairedSegment;
  private final long repairOffset;

  RecoveryReport(List<String> ignoredFiles, String repairedSegment, long repairOffset) {
    this.ignoredFiles = List.copyOf(ignoredFiles);
    this.repairedSegment = repairedSegment;
    this.repairOffset = repairOffset;
  }

  /**
   * {@return the names of the files in the storage that are not the log's (not a segment, its
   * lock, its meta file, a spare segment and their files in the making, or a dropped segment
   * kept for recycling), sorted; recovery left them alone}
   */
  public List<String> ignoredFiles() {
    return ignoredFiles;
  }

  /** {@return the segment whose torn tail recovery cut, if it cut one} */
  public Optional<String> repairedSegment() {
    return Optional.ofNullable(repairedSegment);
  }

  /**
   * {@return the offset in {@link #repairedSegment()} where the cut tail began (a trailer now
   * closes the last intact batch there and zeros follow), or -1 if nothing was cut}
   */
  public long repairOffset() {
    return repairOffset;
  }

  @Override
  public String toString() {
    return "RecoveryReport{ignoredFiles="
        + ignoredFiles
        + (repairedSegment == null
            ? ", no torn tail"
            : ", torn tail cut in '" + repairedSegment + "' at offset " + repairOffset)
        + "}";
  }
}
