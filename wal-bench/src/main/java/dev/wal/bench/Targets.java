package dev.wal.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
  private static final String RATIO = "%.2f";

  private Targets() {}

  /** One checked target. */
  record Check(String target, String figure, boolean met) {}

  /**
   * One target's figure in one round.
   *
   * @param format the figure's number format
   * @param unit what follows the figure, for example {@code " MB/s"}; empty for a ratio
   * @param steady the steady state's ratio shown beside it, or {@code NaN}
   */
  private record Measure(
      String target, double value, double least, String format, String unit, double steady) {
    Measure(String target, double value, double least) {
      this(target, value, least, RATIO, "", Double.NaN);
    }
  }

  /**
   * Checks every target whose cells are in the results. With several rounds, each target's figure
   * is taken within each round and the median decides; the figure then lists every round's.
   *
   * @param results a run's results, every round's, with ratios set
   * @return the checks, in the order
   */
  static List<Check> check(List<Result> results) {
    Map<Integer, List<Result>> rounds = new TreeMap<>();
    for (Result r : results) {
      rounds.computeIfAbsent(r.round(), round -> new ArrayList<>()).add(r);
    }
    Map<String, List<Measure>> byTarget = new LinkedHashMap<>();
    for (List<Result> round : rounds.values()) {
      for (Measure measure : measure(round)) {
        byTarget.computeIfAbsent(measure.target(), target -> new ArrayList<>()).add(measure);
      }
    }
    List<Check> checks = new ArrayList<>();
    for (List<Measure> measures : byTarget.values()) {
      checks.add(combine(measures));
    }
    return checks;
  }

  private static Check combine(List<Measure> measures) {
    Measure first = measures.get(0);
    double value = Rounds.median(measures.stream().map(Measure::value).toList());
    String figure = String.format(first.format(), value) + first.unit();
    if (measures.size() > 1) {
      figure +=
          measures.stream()
              .map(m -> String.format(first.format(), m.value()))
              .collect(Collectors.joining(", ", " (median; by round: ", ")"));
    }
    List<Double> steady =
        measures.stream().map(Measure::steady).filter(v -> !Double.isNaN(v)).toList();
    if (!steady.isEmpty()) {
      figure += String.format("; steady state (truncated behind): " + RATIO, Rounds.median(steady));
    }
    return new Check(first.target(), figure, value >= first.least());
  }

  private static List<Measure> measure(List<Result> results) {
    List<Measure> measures = new ArrayList<>();
    for (int threads : new int[] {16, 64}) {
      find(results, Workload.DURABLE, LOG, 128, threads)
          .ifPresent(
              log -> {
                measures.add(
                    new Measure(
                        "durable 128 B x " + threads + " threads: >= 1.0 x ideal group commit",
                        log.ratioToIdeal(),
                        1.0));
                find(results, Workload.DURABLE, ROCKSDB, 128, threads)
                    .ifPresent(
                        rocks ->
                            measures.add(
                                new Measure(
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
                            measures.add(
                                new Measure(
                                    "durable 128 B x 1 thread: >= 0.9 x preallocated force-each",
                                    log.recordsPerSecond() / prealloc.recordsPerSecond(),
                                    0.9))));
    // The steady state's ratio is shown beside the plain one; whether the target is met stays the
    // plain durable figure's: the target is about a log that is never truncated too.
    find(results, Workload.DURABLE, LOG, 4096, 64)
        .ifPresent(
            log ->
                measures.add(
                    new Measure(
                        "durable 4 KiB x 64 threads: >= 0.9 x ideal group commit MB/s",
                        log.ratioToIdeal(),
                        0.9,
                        RATIO,
                        "",
                        find(results, Workload.STEADY, LOG, 4096, 64)
                            .map(Result::ratioToIdeal)
                            .orElse(Double.NaN))));
    for (Result r : results) {
      if (r.contender().equals(LOG) && r.workload() == Workload.BUFFERED && r.recordBytes() == 128) {
        measures.add(
            new Measure(
                "buffered 128 B: >= 6,000,000 records/s (allocation per append: see jmh -prof gc)",
                r.recordsPerSecond(),
                6_000_000,
                "%,.0f",
                " records/s",
                Double.NaN));
      }
      if (r.contender().equals(LOG) && r.workload() == Workload.RECOVERY) {
        measures.add(
            new Measure(
                "recovery scan: >= 1 GB/s from the page cache",
                r.megabytesPerSecond(),
                1000,
                "%,.0f",
                " MB/s",
                Double.NaN));
      }
    }
    return measures;
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
