package dev.wal.bench;

/** The workloads of a benchmark run. */
enum Workload {
  /** Each append is acknowledged only once it is durable; 1 to 64 threads append at once. */
  DURABLE("durable"),
  /**
   * Durable appends, with the log truncated behind the appenders while they run, as a database or
   * a queue runs its log in steady state (a {@link Checkpointer}). The other contenders run it as
   * they run {@link #DURABLE}.
   */
  STEADY("steady"),
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

  /** {@return whether each append waits until it is durable: durable and steady} */
  boolean durableAppends() {
    return this == DURABLE || this == STEADY;
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
        "unknown workload '" + label + "'; expected one of durable, steady, buffered, recovery");
  }
}
