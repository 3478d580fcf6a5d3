package dev.wal;

/**
 * Thrown when a record is larger than the log's configured maximum. The log is unchanged and
 * stays usable.
 */
public class RecordTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long recordBytes;
  private final long maxRecordBytes;

  /**
   * Creates the exception.
   *
   * @param recordBytes the size of the refused payload
   * @param maxRecordBytes the configured maximum payload size
   */
  public RecordTooLargeException(long recordBytes, long maxRecordBytes) {
    super(
        "record of "
            + recordBytes
            + " bytes exceeds the maximum record size of "
            + maxRecordBytes
            + " bytes (see the log configuration's maxRecordBytes)");
    this.recordBytes = recordBytes;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** {@return the size of the refused payload in bytes} */
  public long recordBytes() {
    return recordBytes;
  }

  /** {@return the configured maximum payload size in bytes} */
  public long maxRecordBytes() {
    return maxRecordBytes;
  }
}
