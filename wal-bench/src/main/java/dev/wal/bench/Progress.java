package dev.wal.bench;

import java.io.PrintStream;

/**
 * The progress line: which cell of how many runs now, and each finished cell's figure. On a
 * terminal it rewrites one line; otherwise (a log, CI) it prints a line per step. Not
 * thread-safe: the runner calls it from one thread.
 */
final class Progress {
  private final PrintStream out;
  private final boolean rewrite;
  private final int totalCells;
  private int currentCell;
  private String cell = "";
  private int lastLength;

  /**
   * Creates the progress line.
   *
   * @param out where it goes (standard error, so standard output holds only the results)
   * @param rewrite whether to rewrite one line in place, as on a terminal
   * @param totalCells how many cells the run has
   */
  Progress(PrintStream out, boolean rewrite, int totalCells) {
    this.out = out;
    this.rewrite = rewrite;
    this.totalCells = totalCells;
  }

  /** {@return a progress line that prints nothing, for runs inside other code} */
  static Progress silent() {
    return new Progress(new PrintStream(PrintStream.nullOutputStream()), false, 0);
  }

  /**
   * Shows that a cell starts.
   *
   * @param description the cell, for example {@code durable 128 B x 16 threads, rocksdb-sync}
   */
  void startCell(String description) {
    currentCell++;
    cell = description;
    show(description);
  }

  /**
   * Shows a step within the current cell.
   *
   * @param step what the cell does now, for example {@code reopening and reading}
   */
  void phase(String step) {
    show(cell + ": " + step);
  }

  /**
   * Shows a finished cell's throughput.
   *
   * @param result the cell's figures
   */
  void finishCell(Result result) {
    show(String.format("%s: %,.0f records/s, %,.1f MB/s", cell, result.recordsPerSecond(), result.megabytesPerSecond()));
  }

  /** Ends the line, so that what follows starts on a line of its own. */
  void close() {
    if (rewrite && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
    out.flush();
  }

  private void show(String text) {
    String line = String.format("[%d/%d] %s", currentCell, totalCells, text);
    if (rewrite) {
      out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }
}
