package dev.wal.jraft.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs SOFAJRaft's default storage and ours side by side and prints the table of issue 7: the log
 * alone at batches of 1, 16 and 64 entries per call; a three-member loopback cluster at 1, 16 and
 * 64 tasks in flight (commits per second and p99.9 latency); and the time a member holding a
 * large log takes to restart and catch up. Every entry is durable (one fsync per call) before it
 * counts.
 *
 * <pre>
 * mvn -B -pl wal-jraft -am verify -DskipTests -Pjraft-benchmark
 *     [-Dwal.jraft.bench.seconds=10] [-Dwal.jraft.bench.restartMiB=1024] [-Dwal.jraft.bench.dir=target/jraft-bench]
 *     [-Dwal.jraft.bench.parts=alone,cluster,restart] [-Dwal.jraft.bench.inFlight=1,16,64]
 *     [-Dwal.jraft.bench.preallocate=true]
 * </pre>
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
    StorageSetup rocks = StorageSetup.rocksDb();
    boolean preallocate = Boolean.parseBoolean(System.getProperty("wal.jraft.bench.preallocate", "true"));
    StorageSetup wal = StorageSetup.walLocal(64L << 20, preallocate);
    String parts = System.getProperty("wal.jraft.bench.parts", "alone,cluster,restart");
    int[] inFlights =
        Arrays.stream(System.getProperty("wal.jraft.bench.inFlight", "1,16,64").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    List<String[]> rows = new ArrayList<>();
    for (int batch : parts.contains("alone") ? BATCHES : new int[0]) {
      double a = LogAloneBenchmark.entriesPerSecond(rocks, fresh(root), batch, run);
      double b = LogAloneBenchmark.entriesPerSecond(wal, fresh(root), batch, run);
      rows.add(row("log alone, " + batch + " per call (entries/s)", a, b, "%,.0f"));
    }
    for (int inFlight : parts.contains("cluster") ? inFlights : new int[0]) {
      ClusterBenchmark.Throughput a = ClusterBenchmark.throughput(rocks, fresh(root), inFlight, run);
      ClusterBenchmark.Throughput b = ClusterBenchmark.throughput(wal, fresh(root), inFlight, run);
      rows.add(row("cluster, " + inFlight + " in flight (commits/s)", a.commitsPerSecond(), b.commitsPerSecond(), "%,.0f"));
      rows.add(row("cluster, " + inFlight + " in flight, p99.9 (ms)", a.p999Millis(), b.p999Millis(), "%.2f"));
    }
    if (parts.contains("restart")) {
      double a = ClusterBenchmark.restartSeconds(rocks, fresh(root), restartBytes);
      double b = ClusterBenchmark.restartSeconds(wal, fresh(root), restartBytes);
      rows.add(row("restart and catch up, " + (restartBytes >> 20) + " MiB of log (s)", a, b, "%.1f"));
    }
    delete(root);
    print(rows);
  }

  private static String[] row(String name, double rocks, double wal, String format) {
    return new String[] {
      name, String.format(Locale.ROOT, format, rocks), String.format(Locale.ROOT, format, wal),
      String.format(Locale.ROOT, "%.2f", wal / rocks)
    };
  }

  private static void print(List<String[]> rows) {
    System.out.println();
    System.out.println("| case | RocksDBLogStorage | WalLogStorage | ours / default |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (String[] row : rows) {
      System.out.println("| " + String.join(" | ", row) + " |");
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
