package dev.wal.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The performance targets of the log (issue 5), checked against a run's results: each line says
 * the figure, the target and whether it was met. Only targets whose cells ran are checked. These
 * are figures for people to read, not assertions: a busy machine misses them.
 */
final class Targets {
  /** The contender the targets are about. */
  static final String LOG = "log-local";

  private static final String PREALLOC = "disk-prealloc-force-each";
  private static final String ROCKSDB = "rocksdb-sync";

  private Targets() {}

  /** One checked target. */
  record Check(String target, String figure, boolean met) {}

  /**
   * Checks every target whose cells are in the results.
   *
   * @param results a run's results, with ratios set
   * @return the checks, in the order
   */
  static List<Check> check(List<Result> results) {
    List<Check> checks = new ArrayList<>();
    for (int threads : new int[] {16, 64}) {
      find(results, Workload.DURABLE, LOG, 128, threads)
          .ifPresent(
              log -> {
                checks.add(ratio("durable 128 B x " + threads + " threads: >= 1.0 x ideal group commit", log.ratioToIdeal(), 1.0));
                find(results, Workload.DURABLE, ROCKSDB, 128, threads)
                    .ifPresent(
                        rocks ->
                            checks.add(
                                ratio(
                                    "durable 128 B x " + threads + " threads: >= 2 x RocksDB",
                                    log.recordsPerSecond() / rocks.recordsPerSecond(),
                                    2.0)));
              });
    }
    find(results, Workload.DURABLE, LOG, 128, 1)
        .ifPresent(
            log ->
                find(results, Workload.DURABLE, PREALLOC, 128, 1)
                    .ifPresent(
                        prealloc ->
                            checks.add(
                                ratio(
                                    "durable 128 B x 1 thread: >= 0.9 x preallocated force-each",
                                    log.recordsPerSecond() / prealloc.recordsPerSecond(),
                                    0.9))));
    find(results, Workload.DURABLE, LOG, 4096, 64)
        .ifPresent(
            log -> checks.add(withSteadyState(ratio("durable 4 KiB x 64 threads: >= 0.9 x ideal group commit MB/s", log.ratioToIdeal(), 0.9), results)));
    for (Result r : results) {
      if (r.contender().equals(LOG) && r.workload() == Workload.BUFFERED && r.recordBytes() == 128) {
        checks.add(
            new Check(
                "buffered 128 B: >= 6,000,000 records/s (allocation per append: see jmh -prof gc)",
                String.format("%,.0f records/s", r.recordsPerSecond()),
                r.recordsPerSecond() >= 6_000_000));
      }
      if (r.contender().equals(LOG) && r.workload() == Workload.RECOVERY) {
        checks.add(
            new Check(
                "recovery scan: >= 1 GB/s from the page cache",
                String.format("%,.0f MB/s", r.megabytesPerSecond()),
                r.megabytesPerSecond() >= 1000));
      }
    }
    return checks;
  }

  /**
   * Adds the steady state's ratio of the same cell to a check's figure, if it ran; whether the
   * target is met stays the plain durable figure's: the target is about a log that is never
   * truncated too.
   */
  private static Check withSteadyState(Check durable, List<Result> results) {
    return find(results, Workload.STEADY, LOG, 4096, 64)
        .map(
            steady ->
                new Check(
                    durable.target(),
                    String.format("%s; steady state (truncated behind): %.2f", durable.figure(), steady.ratioToIdeal()),
                    durable.met()))
        .orElse(durable);
  }

  private static Check ratio(String target, double ratio, double least) {
    return new Check(target, String.format("%.2f", ratio), ratio >= least);
  }

  private static Optional<Result> find(
      List<Result> results, Workload workload, String contender, int recordBytes, int threads) {
    return results.stream()
        .filter(
            r ->
                r.workload() == workload
                    && r.contender().equals(contender)
                    && r.recordBytes() == recordBytes
                    && r.threads() == threads)
        .findFirst();
  }

  /**
   * Prints the checks, if any.
   *
   * @param checks the checks
   * @param out where to print
   */
  static void print(List<Check> checks, PrintStream out) {
    if (checks.isEmpty()) {
      return;
    }
    out.println();
    out.println("Targets for " + LOG + " (issue 5; figures, not assertions):");
    for (Check check : checks) {
      out.printf("  %-6s %-80s %s%n", check.met() ? "met" : "MISSED", check.target(), check.figure());
    }
  }
}
