package dev.wal.jraft.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * Runs SOFAJRaft's default storage and ours side by side and prints the table of issue 7: the log
 * alone at batches of 1, 16 and 64 entries per call; a three-member loopback cluster at 1, 16 and
 * 64 tasks in flight (commits per second and p99.9 latency); and the time a member holding a
 * large log takes to restart and catch up. Every entry is durable (one fsync per call) before it
 * counts.
 *
 * <pre>
 * MAVEN_OPTS="-Xms4g -Xmx4g -Xmn2g" mvn -B -pl wal-jraft -am verify -DskipTests -Pjraft-benchmark
 *     [-Dwal.jraft.bench.seconds=10] [-Dwal.jraft.bench.restartMiB=1024] [-Dwal.jraft.bench.dir=target/jraft-bench]
 *     [-Dwal.jraft.bench.parts=alone,cluster,restart] [-Dwal.jraft.bench.inFlight=1,16,64]
 *     [-Dwal.jraft.bench.preallocate=true] [-Dwal.jraft.bench.rounds=1]
 * </pre>
 *
 * <p>{@code -Dwal.jraft.bench.rounds=3} runs every case three times, one round after another, and
 * prints medians: on a machine whose disk is shared, one 10-second case moves by 10-30%. The
 * default storage runs first in the first round, ours in the second, and so on.
 *
 * <p>{@code -Dwal.jraft.bench.preallocate=false} runs our log in growing segment files instead
 * of preallocated ones: slower for one log alone (each flush commits a size change through the
 * file system's journal), but where the three members share one disk their flushes then share
 * journal commits.
 *
 * <p>Not a test: nothing is asserted, and the figures depend on the machine.
 */
public final class JRaftBenchmark {
  private static final int[] BATCHES = {1, 16, 64};
  /** How long cleaners get between the two collections of {@link #settleHeap()}. */
  private static final long SETTLE_PAUSE_MS = 50;

  private JRaftBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none; settings are system properties (see the class documentation)
   */
  public static void main(String[] args) throws Exception {
    Duration run = Duration.ofSeconds(Long.getLong("wal.jraft.bench.seconds", 10));
    long restartBytes = Long.getLong("wal.jraft.bench.restartMiB", 1024) << 20;
    Path root = Path.of(System.getProperty("wal.jraft.bench.dir", "target/jraft-bench"));
    int rounds = Integer.getInteger("wal.jraft.bench.rounds", 1);
    StorageSetup rocks = StorageSetup.rocksDb();
    boolean preallocate = Boolean.parseBoolean(System.getProperty("wal.jraft.bench.preallocate", "true"));
    StorageSetup wal = StorageSetup.walLocal(64L << 20, preallocate);
    String parts = System.getProperty("wal.jraft.bench.parts", "alone,cluster,restart");
    int[] inFlights =
        Arrays.stream(System.getProperty("wal.jraft.bench.inFlight", "1,16,64").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Map<String, Cell> cells = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      Contest contest = new Contest(rocks, wal, root, round % 2 == 1);
      for (int batch : parts.contains("alone") ? BATCHES : new int[0]) {
        Both<Double> both =
            contest.run((setup, dir) -> LogAloneBenchmark.entriesPerSecond(setup, dir, batch, run));
        cell(cells, "log alone, " + batch + " per call (entries/s)", "%,.0f").add(both.rocks(), both.wal());
      }
      for (int inFlight : parts.contains("cluster") ? inFlights : new int[0]) {
        Both<ClusterBenchmark.Throughput> both =
            contest.run((setup, dir) -> ClusterBenchmark.throughput(setup, dir, inFlight, run));
        cell(cells, "cluster, " + inFlight + " in flight (commits/s)", "%,.0f")
            .add(both.rocks().commitsPerSecond(), both.wal().commitsPerSecond());
        cell(cells, "cluster, " + inFlight + " in flight, p99.9 (ms)", "%.2f")
            .add(both.rocks().p999Millis(), both.wal().p999Millis());
      }
      if (parts.contains("restart")) {
        Both<Double> both =
            contest.run((setup, dir) -> ClusterBenchmark.restartSeconds(setup, dir, restartBytes));
        cell(cells, "restart and catch up, " + (restartBytes >> 20) + " MiB of log (s)", "%.1f")
            .add(both.rocks(), both.wal());
      }
    }
    delete(root);
    print(cells.values(), rounds);
  }

  /** One storage's run of a case, in an empty directory. */
  private interface Case<T> {
    T run(StorageSetup setup, Path dir) throws Exception;
  }

  /** A case's figure on each storage. */
  private record Both<T>(T rocks, T wal) {}

  /**
   * Runs each case of one round on both storages, one right after the other, each in a fresh
   * directory and a settled heap.
   *
   * <p>Design note: the storage that runs second runs in a JVM the first has just warmed, and
   * single runs favoured ours, which always ran second; so the order alternates from round to
   * round. The heap is collected before each run so that neither is charged with collecting the
   * other's garbage.
   */
  private record Contest(StorageSetup rocks, StorageSetup wal, Path root, boolean walFirst) {
    <T> Both<T> run(Case<T> work) throws Exception {
      if (walFirst) {
        T wal = runSettled(work, this.wal);
        return new Both<>(runSettled(work, rocks), wal);
      }
      T rocks = runSettled(work, this.rocks);
      return new Both<>(rocks, runSettled(work, wal));
    }

    private <T> T runSettled(Case<T> work, StorageSetup setup) throws Exception {
      Path dir = fresh(root);
      settleHeap();
      return work.run(setup, dir);
    }
  }

  /**
   * Collects the heap twice: what the first collection hands to cleaners is freed by the second.
   */
  private static void settleHeap() throws InterruptedException {
    System.gc();
    Thread.sleep(SETTLE_PAUSE_MS);
    System.gc();
  }

  private static Cell cell(Map<String, Cell> cells, String name, String format) {
    return cells.computeIfAbsent(name, key -> new Cell(key, format));
  }

  /**
   * One case of the table: both storages' figure in each round. With several rounds it shows the
   * median of each storage's figures and the median of the rounds' ratios: each round runs the
   * two storages one right after the other, so its ratio is the least disturbed by a machine
   * whose speed drifts.
   */
  private record Cell(String name, String format, List<double[]> rounds) {
    Cell(String name, String format) {
      this(name, format, new ArrayList<>());
    }

    void add(double rocks, double wal) {
      rounds.add(new double[] {rocks, wal});
      System.out.printf(
          Locale.ROOT, "round %d, %s: RocksDBLogStorage " + format + ", WalLogStorage " + format + "%n",
          rounds.size(), name, rocks, wal);
    }

    String[] row() {
      double rocks = median(rounds.stream().mapToDouble(round -> round[0]));
      double wal = median(rounds.stream().mapToDouble(round -> round[1]));
      double ratio = median(rounds.stream().mapToDouble(round -> round[1] / round[0]));
      String each =
          rounds.stream()
              .map(round -> String.format(Locale.ROOT, "%.2f", round[1] / round[0]))
              .collect(Collectors.joining(", "));
      return new String[] {
        name, String.format(Locale.ROOT, format, rocks), String.format(Locale.ROOT, format, wal),
        String.format(Locale.ROOT, "%.2f", ratio), each
      };
    }

    private static double median(DoubleStream values) {
      double[] sorted = values.sorted().toArray();
      int middle = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
  }

  private static void print(Collection<Cell> cells, int rounds) {
    System.out.println();
    if (rounds == 1) {
      System.out.println("| case | RocksDBLogStorage | WalLogStorage | ours / default |");
      System.out.println("| --- | ---: | ---: | ---: |");
    } else {
      System.out.println("Medians of " + rounds + " rounds; the last column is each round's ratio.");
      System.out.println();
      System.out.println("| case | RocksDBLogStorage | WalLogStorage | ours / default | rounds |");
      System.out.println("| --- | ---: | ---: | ---: | ---: |");
    }
    for (Cell cell : cells) {
      String[] row = cell.row();
      System.out.println("| " + String.join(" | ", rounds == 1 ? Arrays.copyOf(row, 4) : row) + " |");
    }
    System.out.println();
  }

  private static Path fresh(Path root) throws IOException {
    delete(root);
    return Files.createDirectories(root);
  }

  private static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
