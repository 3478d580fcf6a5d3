package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The crash suite is only as strict as its oracle: a log that broke a promise, built here on
 * purpose, must be caught, and a log that kept them must pass.
 */
class DurabilityOracleTest {
  private static final WalConfig CONFIG = CrashHarness.smallConfig(new SplittableRandom(1));

  private Vfs vfs;
  private WriteAheadLog log;
  private final DurabilityOracle oracle = new DurabilityOracle();

  @BeforeEach
  void openLog() throws IOException {
    vfs = CrashHarness.target();
    log = WriteAheadLog.open(vfs, CONFIG);
  }

  @AfterEach
  void closeLog() throws IOException {
    log.close();
    CrashHarness.release(vfs);
  }

  private long append(DurabilityOracle.Append append) throws IOException {
    long lsn = log.append(append.payload(), append.tag());
    oracle.appended(append, lsn);
    oracle.durableThrough(lsn);
    return lsn;
  }

  @Test
  void aLogHoldingEveryAcknowledgedRecordPasses() throws IOException {
    for (int i = 0; i < 5; i++) {
      append(oracle.next(40));
    }
    DurabilityOracle.Verdict verdict = oracle.check(log, oracle.promise());
    assertThat(verdict.problems()).isEmpty();
    assertThat(verdict.lost()).isZero();
  }

  @Test
  void aLostAcknowledgedRecordIsCaughtAndCounted() throws IOException {
    for (int i = 0; i < 5; i++) {
      append(oracle.next(40));
    }
    log.truncateAfter(3); // behind the oracle's back: as if the log lost LSNs 4 and 5
    DurabilityOracle.Verdict verdict = oracle.check(log, oracle.promise());
    assertThat(verdict.lost()).isEqualTo(2);
    assertThatThrownBy(() -> verdict.assertKept("lost"))
        .hasMessageContaining("2 acknowledged records lost");
  }

  @Test
  void aRecordReturnedWithAnotherTagIsCaught() throws IOException {
    DurabilityOracle.Append append = oracle.next(40);
    long lsn = log.append(append.payload(), append.tag() + 1);
    oracle.appended(append, lsn);
    oracle.durableThrough(lsn);
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("tag"));
  }

  @Test
  void aRecordThatWasNeverAppendedIsCaught() throws IOException {
    append(oracle.next(40));
    log.append(CrashPayload.encode(99, 40), CrashPayload.tagOf(99));
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("append #99, which was never made"));
  }

  @Test
  void aRecordAtAnotherLsnThanItsAppendGotIsCaught() throws IOException {
    DurabilityOracle.Append first = oracle.next(40);
    DurabilityOracle.Append second = oracle.next(40);
    log.append(second.payload(), second.tag());
    log.append(first.payload(), first.tag());
    oracle.appended(first, 1);
    oracle.appended(second, 2);
    oracle.durableThrough(2);
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("which was given LSN"));
  }

  @Test
  void aRecordThatAFinishedTruncateAfterCutComingBackIsCaught() throws IOException {
    for (int i = 0; i < 3; i++) {
      append(oracle.next(40));
    }
    oracle.truncateAfterStarted(1);
    oracle.truncateAfterReturned(1); // the log was told nothing: LSNs 2 and 3 "come back"
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("truncateAfter"));
  }
}
