package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogEntry;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The crash suite is only as strict as its oracle: a log that broke a promise (lost, re-tagged,
 * misplaced or resurrected records, a torn batch, a wrong first LSN, half a reset), built here on
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

  @Test
  void aTornBatchIsCaughtEvenIfItWasNeverAcknowledged() throws IOException {
    append(oracle.next(40));
    DurabilityOracle.Append[] batch = oracle.nextBatch(new int[] {40, 300, 40});
    // written one record at a time, the last lost: as if a crash tore the batch after its second
    for (int i = 0; i < 2; i++) {
      assertThat(log.appendNoWait(batch[i].payload(), batch[i].tag())).isEqualTo(2 + i);
    }
    log.flush();
    oracle.appended(batch[0], 2);
    oracle.appended(batch[1], 3);
    oracle.appended(batch[2], 4);
    DurabilityOracle.Verdict verdict = oracle.check(log, oracle.promise());
    assertThat(verdict.lost()).isZero(); // nothing of it was acknowledged durable
    assertThat(verdict.problems()).singleElement().asString()
        .contains("torn batch #2..#4", "2 of its records");
  }

  @Test
  void aBatchWholeOrCutAtItsFrontByTruncateBeforePasses() throws IOException {
    DurabilityOracle.Append[] batch = oracle.nextBatch(new int[] {40, 40, 40});
    log.appendAll(List.of(LogEntry.of(batch[0].payload()), LogEntry.of(batch[1].payload()),
        LogEntry.of(batch[2].payload())), new long[] {batch[0].tag(), batch[1].tag(),
            batch[2].tag()});
    for (int i = 0; i < 3; i++) {
      oracle.appended(batch[i], 1 + i);
    }
    oracle.durableThrough(3);
    assertThat(oracle.check(log, oracle.promise()).problems()).isEmpty();
    oracle.truncateBeforeStarted(3);
    log.truncateBefore(3);
    oracle.truncateBeforeReturned(3);
    assertThat(oracle.check(log, oracle.promise()).problems()).isEmpty();
  }

  @Test
  void aBatchWhoseFrontWasCutAndThenSplitByTruncateAfterPasses() throws IOException {
    DurabilityOracle.Append[] batch = oracle.nextBatch(new int[] {40, 40, 40});
    log.appendAll(List.of(LogEntry.of(batch[0].payload()), LogEntry.of(batch[1].payload()),
        LogEntry.of(batch[2].payload())), new long[] {batch[0].tag(), batch[1].tag(),
            batch[2].tag()});
    for (int i = 0; i < 3; i++) {
      oracle.appended(batch[i], 1 + i);
    }
    oracle.durableThrough(3);
    oracle.truncateBeforeStarted(2);
    log.truncateBefore(2);
    oracle.truncateBeforeReturned(2);
    oracle.adopt(oracle.check(log, oracle.promise())); // as a reopen does: LSN 1 has no serial
    oracle.truncateAfterStarted(2);
    log.truncateAfter(2);
    oracle.truncateAfterReturned(2);
    append(oracle.next(40));
    assertThat(oracle.check(log, oracle.promise()).problems()).isEmpty();
  }

  @Test
  void aRecordResurrectedPastAFinishedResetIsCaught() throws IOException {
    for (int i = 0; i < 3; i++) {
      append(oracle.next(40));
    }
    oracle.resetStarted(2);
    oracle.resetReturned(2); // the log was told nothing: LSNs 2 and 3 "come back" after the reset
    log.truncateBefore(2);
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("LSN 2 holds append #2, which a finished reset(2) discarded"));
  }

  @Test
  void aResetStillRunningMayLeaveTheOldLogOrTheEmptyNewOneButNothingBetween() throws IOException {
    for (int i = 0; i < 3; i++) {
      append(oracle.next(40));
    }
    oracle.resetStarted(10);
    DurabilityOracle.Promise promise = oracle.promise();
    assertThat(oracle.check(log, promise).problems()).as("the old log").isEmpty();
    log.truncateBefore(3); // half a reset: the records before 3 gone, 3 still there
    assertThat(oracle.check(log, promise).problems())
        .anyMatch(p -> p.contains("the log starts at LSN 3, but"))
        .anyMatch(p -> p.contains("2 acknowledged records lost"));
    log.reset(10);
    assertThat(oracle.check(log, promise).problems()).as("the new empty log").isEmpty();
  }

  @Test
  void aFirstLsnOtherThanTheLastAcknowledgedTruncateBeforeSetIsCaught() throws IOException {
    for (int i = 0; i < 5; i++) {
      append(oracle.next(40));
    }
    oracle.truncateBeforeStarted(4);
    assertThat(oracle.check(log, oracle.promise()).problems()).as("still running").isEmpty();
    oracle.truncateBeforeReturned(4); // the log was told nothing: it still starts at 1
    assertThat(oracle.check(log, oracle.promise()).problems())
        .anyMatch(p -> p.contains("the log starts at LSN 1, but the last acknowledged "
            + "truncateBefore or reset made it start at 4"));
  }
}
