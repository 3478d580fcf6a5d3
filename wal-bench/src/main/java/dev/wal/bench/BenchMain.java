package dev.wal.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmark's command line: runs the default benchmark (or the one the options describe),
 * prints a progress line and a table, and writes {@code results.csv}, {@code results.json} and
 * {@code durable-throughput.png}. The {@code jmh} subcommand runs the microbenchmarks.
 */
@Command(
    name = "wal-bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    subcommands = JmhCommand.class,
    sortOptions = false,
    description = {
      "Measures the log beside the disk's own limits and RocksDB: durable appends at 1 to 64"
          + " threads, the same with the log truncated behind the appenders (steady), buffered"
          + " appends, and a recovery scan.",
      "Options left out take the default benchmark's values, or --quick's."
    })
public final class BenchMain implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-d", "--dir"},
      paramLabel = "DIR",
      description = "Directory on the disk to measure (default: a new temporary directory, deleted afterwards).")
  private Path dataDir;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "Where results.csv, results.json and the PNG go (default: ${DEFAULT-VALUE}).")
  private Path outDir;

  @Option(names = "--quick", description = "A smoke run of seconds: short cells, small sizes, 1 and 4 threads.")
  private boolean quick;

  @Option(names = "--workloads", split = ",", paramLabel = "NAME", description = "Some of: durable, steady, buffered, recovery (default: all).")
  private List<String> workloads;

  @Option(names = "--contenders", split = ",", paramLabel = "NAME", description = "Contenders to run (default: all): ${COMPLETION-CANDIDATES}.", completionCandidates = ContenderNames.class)
  private List<String> contenders;

  @Option(names = "--threads", split = ",", paramLabel = "N", description = "Durable thread counts (default: 1,4,16,64; quick: 1,4).")
  private List<Integer> threads;

  @Option(names = "--sizes", split = ",", paramLabel = "BYTES", converter = ByteSizeConverter.class, description = "Durable record sizes (default: 128,4k).")
  private List<Long> sizes;

  @Option(names = "--steady-threads", split = ",", paramLabel = "N", description = "Steady thread counts (default: 64; quick: 4).")
  private List<Integer> steadyThreads;

  @Option(names = "--steady-sizes", split = ",", paramLabel = "BYTES", converter = ByteSizeConverter.class, description = "Steady record sizes (default: 128,4k).")
  private List<Long> steadySizes;

  @Option(names = "--warmup-ms", paramLabel = "MS", description = "Durable and steady warm-up per cell (default: 500; quick: 100).")
  private Long warmupMs;

  @Option(names = "--measure-ms", paramLabel = "MS", description = "Durable and steady measured time per cell (default: 2000; quick: 300).")
  private Long measureMs;

  @Option(names = "--buffered-records", paramLabel = "N", description = "Buffered record count (default: 2000000; quick: 100000).")
  private Long bufferedRecords;

  @Option(names = "--recovery-size", paramLabel = "BYTES", converter = ByteSizeConverter.class, description = "Least log size for the recovery scan (default: 1g; quick: 16m).")
  private Long recoverySize;

  @Option(names = "--recovery-record-size", paramLabel = "BYTES", converter = ByteSizeConverter.class, description = "Recovery record size (default: 4k).")
  private Long recoveryRecordSize;

  @Option(names = "--rounds", paramLabel = "N", description = "Repeats the whole run N times; the table and the targets give each cell's median, and the files every round (default: 1).")
  private Integer rounds;

  @Option(names = "--prealloc-size", paramLabel = "BYTES", converter = ByteSizeConverter.class, description = "Size of the disk contenders' preallocated files (default: 64m; quick: 4m).")
  private Long preallocSize;

  private BenchMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BenchMain.class.getPackage().getImplementationVersion();
      return new String[] {"wal-bench " + (version == null ? "(unpackaged)" : version)};
    }
  }

  /** Lists the contender names for the help text. */
  static final class ContenderNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ContenderNames() {
      super(Contenders.names());
    }
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @param out where the table and the files' names go
   * @param err where the progress line and errors go
   * @return the exit status: 0 on success, 2 for bad arguments, 1 when the run failed
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    // XChart draws with Java2D; no display is needed or wanted.
    System.setProperty("java.awt.headless", "true");
    CommandLine commandLine = new CommandLine(new BenchMain(out, err));
    commandLine.setOut(new java.io.PrintWriter(out, true));
    commandLine.setErr(new java.io.PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    BenchConfig config;
    Bench bench;
    try {
      config = config();
      bench = new Bench(config);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Instant started = Instant.now();
    Progress progress = new Progress(err, System.console() != null, bench.cellCount());
    List<Result> results;
    try {
      results = bench.run(progress);
    } finally {
      progress.close();
    }
    List<Result> medians = Rounds.medians(results);
    Report.print(medians, bench.contenders(), config.rounds(), out);
    Targets.print(Targets.check(results), out);
    Files.createDirectories(config.outDir());
    out.println();
    out.println("wrote " + ResultFiles.writeCsv(results, config.outDir()));
    out.println("wrote " + ResultFiles.writeJson(results, bench.contenders(), environment(config, started), config.outDir()));
    if (results.stream().anyMatch(r -> r.workload() == Workload.DURABLE)) {
      out.println("wrote " + ThroughputChart.write(medians, config.outDir()));
    }
    return 0;
  }

  private BenchConfig config() {
    List<Workload> chosenWorkloads = new ArrayList<>();
    for (String name : workloads == null ? List.of("durable", "steady", "buffered", "recovery") : workloads) {
      chosenWorkloads.add(Workload.fromLabel(name));
    }
    Timing timing =
        new Timing(
            TimeUnit.MILLISECONDS.toNanos(or(warmupMs, 500L, 100L)),
            TimeUnit.MILLISECONDS.toNanos(or(measureMs, 2000L, 300L)));
    return new BenchConfig(
        Optional.ofNullable(dataDir),
        outDir,
        chosenWorkloads,
        contenders == null ? Contenders.names() : contenders,
        threads == null ? (quick ? List.of(1, 4) : List.of(1, 4, 16, 64)) : threads,
        recordSizes("record size", sizes),
        steadyThreads == null ? (quick ? List.of(4) : List.of(64)) : steadyThreads,
        recordSizes("steady record size", steadySizes),
        timing,
        or(bufferedRecords, 2_000_000L, 100_000L),
        128,
        or(recoverySize, 1L << 30, 16L << 20),
        toInt("recovery record size", recoveryRecordSize == null ? 4096 : recoveryRecordSize),
        or(preallocSize, 64L << 20, 4L << 20),
        rounds == null ? 1 : rounds);
  }

  private static List<Integer> recordSizes(String what, List<Long> chosen) {
    List<Integer> recordSizes = new ArrayList<>();
    for (long size : chosen == null ? List.of(128L, 4096L) : chosen) {
      recordSizes.add(toInt(what, size));
    }
    return recordSizes;
  }

  private <T> T or(T chosen, T full, T quickValue) {
    return chosen != null ? chosen : quick ? quickValue : full;
  }

  private static int toInt(String what, long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " (" + bytes + ") is too large");
    }
    return (int) bytes;
  }

  private static Map<String, String> environment(BenchConfig config, Instant started) {
    Runtime runtime = Runtime.getRuntime();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("started", started.toString());
    facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    facts.put("cores", Integer.toString(runtime.availableProcessors()));
    facts.put("maxHeapBytes", Long.toString(runtime.maxMemory()));
    facts.put("dataDir", config.dataDir().map(Path::toString).orElse("a temporary directory"));
    facts.put("threads", config.threadCounts().toString());
    facts.put("recordSizes", config.recordSizes().toString());
    facts.put("steadyThreads", config.steadyThreadCounts().toString());
    facts.put("steadyRecordSizes", config.steadyRecordSizes().toString());
    facts.put("warmupMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(config.timing().warmupNanos())));
    facts.put("measureMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(config.timing().measureNanos())));
    facts.put("bufferedRecords", Long.toString(config.bufferedRecords()));
    facts.put("recoveryBytes", Long.toString(config.recoveryBytes()));
    facts.put("recoveryRecordBytes", Integer.toString(config.recoveryRecordBytes()));
    facts.put("preallocatedBytes", Long.toString(config.preallocatedBytes()));
    facts.put("rounds", Integer.toString(config.rounds()));
    return facts;
  }
}
