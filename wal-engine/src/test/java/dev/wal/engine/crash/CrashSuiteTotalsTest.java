package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Checks what the whole crash suite explored in this JVM: at least 2,000 crash states and 500
 * injected I/O errors, with no acknowledged record lost. It runs after every other test class of
 * the module ({@code junit-platform.properties} orders classes by {@link Order}); when only part
 * of the suite ran (a {@code -Dtest} filter), the totals are not the suite's and it is skipped.
 */
@Order(Integer.MAX_VALUE)
class CrashSuiteTotalsTest {
  static final long MIN_CRASH_STATES = 2_000;
  static final long MIN_IO_ERRORS = 500;

  @Test
  void theWholeSuiteExploresAtLeast2000CrashStatesAnd500InjectedIoErrorsAndLosesNothing() {
    assumeTrue(CrashCounts.notFinished().isEmpty(),
        () -> "only part of the crash suite ran in this JVM; not run: " + CrashCounts.notFinished());
    System.out.println("[crash suite] totals of the run: " + CrashCounts.summary());
    assertThat(CrashCounts.CRASH_STATES.get()).as(CrashCounts.summary())
        .isGreaterThanOrEqualTo(MIN_CRASH_STATES);
    assertThat(CrashCounts.IO_ERRORS.get()).as(CrashCounts.summary())
        .isGreaterThanOrEqualTo(MIN_IO_ERRORS);
    assertThat(CrashCounts.RECORDS_LOST.get()).as(CrashCounts.summary()).isZero();
  }
}
