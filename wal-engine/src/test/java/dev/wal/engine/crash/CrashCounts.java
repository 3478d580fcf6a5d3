package dev.wal.engine.crash;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the suite explored in this JVM, over every test class: crash states recovered and checked,
 * I/O errors injected, silent faults placed, and acknowledged records lost (zero, or a test
 * failed).
 */
final class CrashCounts {
  static final AtomicLong CRASH_STATES = new AtomicLong();
  static final AtomicLong IO_ERRORS = new AtomicLong();
  static final AtomicLong SILENT_FAULTS = new AtomicLong();
  static final AtomicLong RECORDS_LOST = new AtomicLong();
  static final AtomicLong RECORDS_CHECKED = new AtomicLong();

  private CrashCounts() {}

  static String summary() {
    return "crash states explored: " + CRASH_STATES.get()
        + ", I/O errors injected: " + IO_ERRORS.get()
        + ", silent faults placed: " + SILENT_FAULTS.get()
        + ", records checked: " + RECORDS_CHECKED.get()
        + ", acknowledged records lost: " + RECORDS_LOST.get();
  }

  /** Prints the totals so far, after what one test class explored. */
  static void print(String testClass, long states, long errors, long millis) {
    System.out.println("[crash suite] " + testClass + ": " + states + " crash states, " + errors
        + " injected errors in " + millis + " ms; totals so far: " + summary());
  }
}
