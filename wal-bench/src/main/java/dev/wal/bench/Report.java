package dev.wal.bench;

import java.io.PrintStream;
import java.util.List;

/** The results as a table for people, with a legend of the contenders. */
final class Report {
  private static final String ROW = "%-9s %7s %7s  %-25s %13s %10s %10s %10s %10s %8s  %s%n";

  private Report() {}

  /**
   * Prints the table.
   *
   * @param results the results, in the order run (one round, or each cell's median: see {@link
   *     Rounds})
   * @param contenders the contenders that ran, for the legend
   * @param rounds how many rounds the run had
   * @param out where to print
   */
  static void print(List<Result> results, List<Contender> contenders, int rounds, PrintStream out) {
    out.printf(ROW, "workload", "size", "threads", "contender", "records/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "x ideal", "note");
    Workload previous = null;
    for (Result r : results) {
      if (previous != null && previous != r.workload()) {
        out.println();
      }
      previous = r.workload();
      out.printf(
          ROW,
          r.workload().label(),
          size(r.recordBytes()),
          r.threads(),
          r.contender(),
          String.format("%,.0f", r.recordsPerSecond()),
          String.format("%,.1f", r.megabytesPerSecond()),
          micros(r.p50Nanos()),
          micros(r.p99Nanos()),
          micros(r.p999Nanos()),
          Double.isNaN(r.ratioToIdeal()) ? "-" : String.format("%.2f", r.ratioToIdeal()),
          r.note());
    }
    out.println();
    out.println("MB = 10^6 payload bytes; latency is per append (per read in recovery); x ideal is");
    out.println("records/s over " + IdealGroupCommitContender.NAME + "'s in the same row group.");
    if (rounds > 1) {
      out.println("Each row is the middle one of " + rounds + " rounds by x ideal (the ideal's: by records/s),");
      out.println("each ratio taken within its round; the note gives every round's.");
    }
    if (results.stream().anyMatch(r -> r.workload() == Workload.STEADY)) {
      out.println("steady: durable appends while a checkpointer truncates the log behind the appenders");
      out.println("(the log's contenders; the others run as in durable: the ideal's file is a ring");
      out.println("already, and RocksDB deletes its own log files).");
    }
    for (Contender contender : contenders) {
      out.printf("  %-25s %s%n", contender.name(), contender.description());
    }
  }

  /**
   * Formats a byte count for people: {@code 128 B}, {@code 4 KiB}, {@code 1 GiB}.
   *
   * @param bytes the count
   * @return the text
   */
  static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    long value = bytes;
    while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return value + " " + units[unit];
  }

  private static String micros(long nanos) {
    return String.format(nanos < 10_000 ? "%.2f" : "%,.1f", nanos / 1e3);
  }
}
