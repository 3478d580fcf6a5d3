package dev.wal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every cell of a benchmark: each workload, record size and thread count, with every
 * contender in turn, each in a fresh directory that is deleted after it.
 *
 * <p>Design note: contenders take turns within each cell, rather than each running all its cells
 * in a row, so that a change in the machine's load (other builds on a shared machine) spreads
 * over all of them instead of falling on one. With several rounds, each round runs every cell
 * before the next begins, so that a slow spell of the disk falls on one round of a cell, which
 * the median then leaves out, rather than on all of them.
 *
 * <p>Design note: after each cell the heap is collected and shrunk ({@link #settleHeap()}), so
 * that one contender's garbage is neither collected during the next one's cell nor left holding
 * memory the next one needs. The memory backend's contender leaves gigabytes of dropped files;
 * left in the heap they made the next cell's garbage collections, and on this project's virtual
 * machine they made every write into the page cache 2-3 times slower (the buffered cells of the
 * disk's contenders ran at 2.4-3.8 million records a second instead of 8-9.7).
 */
final class Bench {
  /** How long finalizers and cleaners get between the two collections of {@link #settleHeap()}. */
  private static final long SETTLE_PAUSE_MS = 50;

  private final BenchConfig config;
  private final List<Contender> contenders;

  /**
   * Prepares a run.
   *
   * @param config what to measure
   * @throws IllegalArgumentException if the config names an unknown contender
   */
  Bench(BenchConfig config) {
    this.config = config;
    this.contenders = Contenders.select(config.contenders(), config.preallocatedBytes());
  }

  /** {@return the contenders, in the order they run} */
  List<Contender> contenders() {
    return contenders;
  }

  /** A cell: one contender on one workload at one thread count and record size. */
  private record Cell(Workload workload, Contender contender, int threads, int recordBytes) {
    String describe() {
      String size = Report.size(recordBytes);
      return switch (workload) {
        case DURABLE, STEADY ->
            String.format("%s %s x %d threads, %s", workload.label(), size, threads, contender.name());
        case BUFFERED -> String.format("buffered %s, %s", size, contender.name());
        case RECOVERY -> String.format("recovery scan %s, %s", size, contender.name());
      };
    }
  }

  /** {@return the number of cells the run has, in all its rounds} */
  int cellCount() {
    return cells().size() * config.rounds();
  }

  private List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (Workload workload : config.workloads()) {
      switch (workload) {
        case DURABLE -> addGrid(cells, workload, config.recordSizes(), config.threadCounts());
        case STEADY -> addGrid(cells, workload, config.steadyRecordSizes(), config.steadyThreadCounts());
        case BUFFERED -> addCells(cells, workload, 1, config.bufferedRecordBytes());
        case RECOVERY -> addCells(cells, workload, 1, config.recoveryRecordBytes());
      }
    }
    return cells;
  }

  private void addGrid(List<Cell> cells, Workload workload, List<Integer> sizes, List<Integer> threadCounts) {
    for (int bytes : sizes) {
      for (int threads : threadCounts) {
        addCells(cells, workload, threads, bytes);
      }
    }
  }

  private void addCells(List<Cell> cells, Workload workload, int threads, int recordBytes) {
    for (Contender contender : contenders) {
      if (contender.runs(workload)) {
        cells.add(new Cell(workload, contender, threads, recordBytes));
      }
    }
  }

  /**
   * Runs every cell.
   *
   * @param progress told of each cell as it starts and ends
   * @return the results of every round, in the order run, with their ratios to the ideal group
   *     commit of the same round
   * @throws IOException if a contender fails, or the directories cannot be made or deleted
   */
  List<Result> run(Progress progress) throws IOException {
    Path root =
        config.dataDir().isPresent()
            ? Files.createDirectories(config.dataDir().get())
            : Files.createTempDirectory("wal-bench");
    try {
      List<Result> results = new ArrayList<>();
      List<Cell> cells = cells();
      for (int round = 1; round <= config.rounds(); round++) {
        for (int i = 0; i < cells.size(); i++) {
          Cell cell = cells.get(i);
          progress.startCell(cell.describe());
          Path cellDir = root.resolve(String.format("%02d-%03d-%s", round, i, cell.contender().name()));
          Result result = inDirectory(cellDir, dir -> runCell(cell, dir, progress));
          progress.finishCell(result);
          results.add(result.withRound(round));
          settleHeap();
        }
      }
      return Ratios.toIdeal(results);
    } finally {
      if (config.dataDir().isEmpty()) {
        deleteRecursively(root);
      }
    }
  }

  /**
   * Collects the heap twice, so that what the first collection hands to finalization or a cleaner
   * (the memory backend's file systems are such) is freed by the second; G1 then returns the
   * free heap to the operating system.
   */
  private static void settleHeap() {
    System.gc();
    try {
      Thread.sleep(SETTLE_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    System.gc();
  }

  private Result runCell(Cell cell, Path dir, Progress progress) throws IOException {
    String name = cell.contender().name();
    try (Store store = cell.contender().create(cell.workload(), dir, cell.threads(), cell.recordBytes())) {
      return switch (cell.workload()) {
        case DURABLE, STEADY ->
            DurableRun.run(cell.workload(), name, store, cell.threads(), cell.recordBytes(), config.timing());
        case BUFFERED -> BufferedRun.run(name, store, config.bufferedRecords(), cell.recordBytes());
        case RECOVERY -> {
          progress.phase("writing " + Report.size(config.recoveryBytes()));
          yield RecoveryRun.run(name, store, config.recoveryBytes(), cell.recordBytes(), progress);
        }
      };
    }
  }

  /** Work done in a directory. */
  private interface InDirectory {
    Result run(Path dir) throws IOException;
  }

  private static Result inDirectory(Path dir, InDirectory work) throws IOException {
    Files.createDirectory(dir);
    Throwable primary = null;
    try {
      return work.run(dir);
    } catch (Throwable e) {
      primary = e;
      throw e;
    } finally {
      try {
        deleteRecursively(dir);
      } catch (IOException e) {
        if (primary == null) {
          throw e;
        }
        primary.addSuppressed(e);
      }
    }
  }

  /**
   * Deletes a directory and everything under it.
   *
   * @param dir the directory; nothing happens if it does not exist
   * @throws IOException if something could not be deleted
   */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
