package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command line end to end in a tiny configuration; no figure is checked. */
class BenchMainTest {
  @TempDir Path temp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BenchMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String[] tiny(Path data, Path results, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--quick",
                "--dir", data.toString(),
                "--out", results.toString(),
                "--threads", "1,3",
                "--warmup-ms", "0",
                "--measure-ms", "50",
                "--buffered-records", "5000",
                "--recovery-size", "256k",
                "--prealloc-size", "1m"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void tinyRunPrintsTheTableAndWritesCsvJsonAndPng() throws IOException {
    Path data = temp.resolve("data");
    Path results = temp.resolve("results");

    int status = run(tiny(data, results));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("exit status; stderr:%n%s", err).isZero();
    assertThat(table).contains("records/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "x ideal");
    for (String contender : Contenders.names()) {
      assertThat(table).contains(contender);
    }
    assertThat(table).contains("durable", "steady", "buffered", "recovery");
    assertThat(table).contains("checkpointer truncates the log behind the appenders");

    List<String> csv = Files.readAllLines(results.resolve(ResultFiles.CSV));
    long rows = 0;
    for (Contender contender : Contenders.all(1 << 20).values()) {
      rows += contender.runs(Workload.DURABLE) ? 2 * 2 : 0; // two sizes x two thread counts
      rows += contender.runs(Workload.STEADY) ? 2 : 0; // two sizes x quick's one thread count
      rows += contender.runs(Workload.BUFFERED) ? 1 : 0;
      rows += contender.runs(Workload.RECOVERY) ? 1 : 0;
    }
    assertThat(csv).hasSize(1 + (int) rows);
    assertThat(String.join("\n", csv)).contains("log-local", "log-memory");
    for (String contender : List.of("log-local", "log-memory", IdealGroupCommitContender.NAME)) {
      for (String size : List.of("128", "4096")) {
        assertThat(csv).anyMatch(row -> row.startsWith("\"steady\",\"" + contender + "\",4," + size + ","));
      }
    }
    assertThat(csv)
        .filteredOn(row -> row.startsWith("\"steady\",\"log-"))
        .hasSize(4)
        .allMatch(row -> row.contains("\"truncations: "));
    assertThat(csv.get(0)).startsWith("workload,contender,threads,record_bytes,records");

    String json = Files.readString(results.resolve(ResultFiles.JSON));
    assertThat(json).contains("\"environment\"", "\"contenders\"", "\"results\"", "\"ratio_to_ideal\"");
    assertThat(json).contains("{\"workload\": \"steady\", \"contender\": \"log-local\", \"threads\": 4");

    BufferedImage chart = ImageIO.read(results.resolve(ThroughputChart.PNG).toFile());
    assertThat(chart).isNotNull();
    assertThat(chart.getWidth()).isGreaterThan(chart.getHeight());
  }

  @Test
  void withRoundsTheTableHasOneRowPerCellAndTheFilesEveryRound() throws IOException {
    Path results = temp.resolve("results");

    int status =
        run(
            tiny(
                temp.resolve("data"),
                results,
                "--workloads", "durable",
                "--sizes", "128",
                "--contenders", IdealGroupCommitContender.NAME + ",log-memory",
                "--rounds", "3"));

    assertThat(status).as("exit status; stderr:%n%s", err).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("[12/12]"); // 2 cells x 2 x 3 rounds
    List<String> rows =
        out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("durable")).toList();
    assertThat(rows).hasSize(4);
    assertThat(rows)
        .filteredOn(row -> row.contains(IdealGroupCommitContender.NAME))
        .hasSize(2)
        .allMatch(row -> row.contains("records/s by round: "));
    assertThat(rows)
        .filteredOn(row -> row.contains("log-memory"))
        .hasSize(2)
        .allMatch(row -> row.matches(".*x ideal by round: [0-9.]+, [0-9.]+, [0-9.]+$"));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("middle one of 3 rounds");

    List<String> csv = Files.readAllLines(results.resolve(ResultFiles.CSV));
    assertThat(csv.get(0)).endsWith(",note,round");
    assertThat(csv.subList(1, csv.size()))
        .extracting(row -> row.substring(row.lastIndexOf(',') + 1))
        .containsExactly("1", "1", "1", "1", "2", "2", "2", "2", "3", "3", "3", "3");
    assertThat(Files.readString(results.resolve(ResultFiles.JSON))).contains("\"rounds\": \"3\"");
  }

  @Test
  void progressGoesToStandardErrorOneLinePerStepWhenNotOnATerminal() {
    int status =
        run(
            tiny(
                temp.resolve("data"),
                temp.resolve("results"),
                "--workloads", "durable",
                "--sizes", "128",
                "--contenders", "disk-force-each"));

    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("[1/2] durable 128 B x 1 threads, disk-force-each")
        .contains("[1/2] durable 128 B x 1 threads, disk-force-each: ")
        .contains("[2/2] durable 128 B x 3 threads, disk-force-each: ")
        .doesNotContain("\r");
  }

  @Test
  void steadyWorkloadAloneRunsItsOwnThreadsAndSizes() {
    int status =
        run(
            tiny(
                temp.resolve("data"),
                temp.resolve("results"),
                "--workloads", "steady",
                "--steady-threads", "2",
                "--steady-sizes", "1k",
                "--contenders", "log-memory"));

    assertThat(status).as("exit status; stderr:%n%s", err).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("[1/1] steady 1 KiB x 2 threads, log-memory: ")
        .doesNotContain("durable");
  }

  @Test
  void givenDataDirectoryIsKeptAndLeftEmpty() throws IOException {
    Path data = temp.resolve("data");

    int status =
        run(tiny(data, temp.resolve("results"), "--contenders", "disk-ideal-group-commit"));

    assertThat(status).isZero();
    try (Stream<Path> left = Files.list(data)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void unknownContenderIsRefusedNamingItAndTheKnownOnes() {
    int status = run("--contenders", "postgres");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown contender 'postgres'")
        .contains(String.join(", ", Contenders.names()));
  }

  @Test
  void unknownWorkloadIsRefusedNamingIt() {
    int status = run("--workloads", "durable,compaction");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown workload 'compaction'");
  }

  @Test
  void malformedSizeIsRefusedQuotingIt() {
    int status = run("--sizes", "12x");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'12x' is not a size");
  }

  @Test
  void preallocatedFileSmallerThanTheLargestBatchIsRefused() {
    int status = run("--threads", "64", "--sizes", "4k", "--prealloc-size", "64k");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("preallocated file size (65536) must hold the largest batch, 262400 bytes");
  }

  @Test
  void helpListsTheOptionsAndTheJmhCommand() {
    int status = run("--help");

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--quick", "--dir", "--contenders", "jmh");
  }
}
