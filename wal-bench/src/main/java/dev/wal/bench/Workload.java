package dev.wal.bench;

/** The three workloads of a benchmark run. */
enum Workload {
  /** Each append is acknowledged only once it is durable; 1 to 64 threads append at once. */
  DURABLE("durable"),
  /** One thread appends without waiting, then flushes once at the end. */
  BUFFERED("buffered"),
  /** A log of at least 1 GiB, written and flushed beforehand, is reopened and read to its end. */
  RECOVERY("recovery");

  private final String label;

  Workload(String label) {
    this.label = label;
  }

  /** {@return the name used in the table, the CSV, the JSON and on the command line} */
  String label() {
    return label;
  }

  /**
   * Returns the workload of that label.
   *
   * @param label a label, for example {@code durable}
   * @return the workload
   * @throws IllegalArgumentException if no workload has that label; the message lists them
   */
  static Workload fromLabel(String label) {
    for (Workload workload : values()) {
      if (workload.label.equals(label)) {
        return workload;
      }
    }
    throw new IllegalArgumentException(
        "unknown workload '" + label + "'; expected one of durable, buffered, recovery");
  }
}
