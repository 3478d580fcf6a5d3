package dev.wal.engine;

/**
 * Names the files of a log. The one place that knows them: segments are named by their first LSN,
 * zero-padded to 20 digits so that names sort as LSNs do.
 */
final class SegmentNames {
  private SegmentNames() {}

  static final String SUFFIX = ".wal";
  private static final int DIGITS = 20;

  /**
   * The largest first LSN a segment may have: 2^62. No log appends that many records (at a
   * billion a second it takes 146 years), and above it the LSNs that follow would overflow; a
   * segment named past it is damaged or not this log's.
   */
  static final long MAX_FIRST_LSN = 1L << 62;

  /** The lock that keeps a second writer out. */
  static final String LOCK = "wal.lock";

  /** The preallocated file that the next segment (or a rewritten one) is renamed from. */
  static final String SPARE = "spare.wal.tmp";

  /** A segment that truncateBefore dropped, kept to become the next spare ({@link SparePreparer}). */
  static final String RECYCLED = "recycled.wal.tmp";

  /** The empty file a rotation takes when the spare is not ready yet. */
  static final String FRESH = "fresh.wal.tmp";

  /** The log's meta file: the logical first LSN and a reset under way ({@link LogMeta}). */
  static final String META = "wal.meta";

  /** Where the meta file is written before it is renamed over {@link #META}. */
  static final String META_TMP = "wal.meta.tmp";

  /** {@return whether {@code name} is one of the log's own files other than its segments} */
  static boolean isLogsOwnFile(String name) {
    return name.equals(LOCK)
        || name.equals(SPARE)
        || name.equals(FRESH)
        || name.equals(RECYCLED)
        || name.equals(META)
        || name.equals(META_TMP);
  }

  /** {@return the name of the segment whose first record has LSN {@code firstLsn}} */
  static String segmentName(long firstLsn) {
    if (firstLsn < 1) {
      throw new IllegalArgumentException("firstLsn (" + firstLsn + ") must be at least 1");
    }
    String digits = Long.toString(firstLsn);
    return "0".repeat(DIGITS - digits.length()) + digits + SUFFIX;
  }

  /**
   * Parses a segment name.
   *
   * @param name a file name
   * @return the segment's first LSN, or -1 if {@code name} is not exactly a segment name (20
   *     digits, the suffix, an LSN of at least 1)
   */
  static long parseSegmentName(String name) {
    if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return -1;
    }
    long lsn = 0;
    for (int i = 0; i < DIGITS; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int digit = c - '0';
      if (lsn > (Long.MAX_VALUE - digit) / 10) {
        return -1;
      }
      lsn = lsn * 10 + digit;
    }
    return lsn >= 1 ? lsn : -1;
  }
}
