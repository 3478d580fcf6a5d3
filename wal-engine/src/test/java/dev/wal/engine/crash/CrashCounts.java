package dev.wal.engine.crash;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the suite explored in this JVM, over every test class: crash states recovered and checked,
 * I/O errors injected, silent faults placed, and acknowledged records lost (zero, or a test
 * failed). {@link CrashSuiteTotalsTest} checks the totals once every test class of {@link #SUITE}
 * finished.
 */
final class CrashCounts {
  static final AtomicLong CRASH_STATES = new AtomicLong();
  static final AtomicLong IO_ERRORS = new AtomicLong();
  static final AtomicLong SILENT_FAULTS = new AtomicLong();
  static final AtomicLong RECORDS_LOST = new AtomicLong();
  static final AtomicLong RECORDS_CHECKED = new AtomicLong();

  /** The test classes of the default run that add to the counts. */
  static final List<Class<?>> SUITE = List.of(CrashSweepTest.class, ConcurrentCrashTest.class,
      RecoveryCrashTest.class, IoErrorSweepTest.class, ConcurrentIoErrorTest.class,
      LinuxFsyncFailureTest.class, SilentCorruptionTest.class, OutOfSpaceTest.class);

  private static final Set<Class<?>> FINISHED = ConcurrentHashMap.newKeySet();

  private CrashCounts() {}

  static String summary() {
    return "crash states explored: " + CRASH_STATES.get()
        + ", I/O errors injected: " + IO_ERRORS.get()
        + ", silent faults placed: " + SILENT_FAULTS.get()
        + ", records checked: " + RECORDS_CHECKED.get()
        + ", acknowledged records lost: " + RECORDS_LOST.get();
  }

  /**
   * Prints the totals so far, after what one test of a class explored, and notes the class as
   * finished.
   */
  static void print(Class<?> test, String detail, long states, long errors, long millis) {
    FINISHED.add(test);
    System.out.println("[crash suite] " + test.getSimpleName() + detail + ": " + states
        + " crash states, " + errors + " injected errors in " + millis
        + " ms; totals so far: " + summary());
  }

  /** {@return the names of the suite's classes that have not finished in this JVM} */
  static List<String> notFinished() {
    return SUITE.stream().filter(c -> !FINISHED.contains(c)).map(Class::getSimpleName)
        .collect(Collectors.toList());
  }
}
