package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.AlreadyClosedException;
import dev.wal.LogFailedException;
import dev.wal.vfs.Vfs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Model-checks group commit (append, appendNoWait, waitFor, flush, close and fail-stop) under
 * Fray's controlled scheduler: each scenario runs a few hundred schedules, each chosen by a seed
 * that replays it exactly (see {@link FrayRuns}).
 *
 * <p>Under every schedule: LSNs are dense and unique; the flushed LSN never goes back and never
 * passes what a completed flush covered; a record is covered by a completed flush when append,
 * waitFor or flush acknowledges it, and a reader sees it; every waiter returns (a schedule in which
 * all threads block fails as a deadlock); a failed flush reaches every waiter and every later
 * call; an append racing with close gets its LSN, durable, or {@link AlreadyClosedException}.
 * {@link LedgerVfs} tells what completed flushes covered.
 *
 * <p>The log's own threads are part of the model: the background flusher (with a flush interval of
 * a minute it never forces on its own, so no lost wakeup is hidden by its timer, but it writes
 * batches sealed while nobody writes) and the spare preparer (no preallocation; segments of 16 KiB
 * rotate under the larger payloads).
 *
 * <p>Runs only on Fray's instrumented JDK, which the {@code fray} profile of this module prepares
 * (see the module's README); elsewhere it is skipped.
 */
class GroupCommitFrayTest {
  static final WalConfig CONFIG =
      WalConfig.builder()
          .segmentBytes(16 << 10)
          .bufferBytes(4096)
          .maxRecordBytes(4096)
          .flushInterval(Duration.ofMinutes(1))
          .preallocate(false)
          .build();

  private static final AtomicLong NAMES = new AtomicLong();

  @Test
  void appendsWaitsAndFlushesKeepEveryPromiseUnderEverySchedule() {
    FrayRuns.explore(getClass(), "promises", this::promises);
  }

  @Test
  void aFailedFlushReachesEveryWaiterAndEveryLaterCallUnderEverySchedule() {
    FrayRuns.explore(getClass(), "fail-stop", this::failStop);
  }

  @Test
  void closeDuringAppendsAcknowledgesDurablyOrRefusesUnderEverySchedule() {
    FrayRuns.explore(getClass(), "close", this::closeDuringAppends);
  }

  private static Vfs newVfs() throws Exception {
    return Vfs.open("memory:fray-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet());
  }

  /** Three appenders and an observer of the flushed LSN; then every record is read back. */
  private void promises(SplittableRandom workload) throws Exception {
    try (Vfs memory = newVfs();
        LedgerVfs ledger = new LedgerVfs(memory);
        WriteAheadLog log = WriteAheadLog.open(ledger, CONFIG)) {
      List<Appender> appenders = Appender.scripted(log, ledger, workload, 3, 2, Appender.ANY_OP, null);
      Appender.runAll(appenders, Appender.flushedLsnObserver(log, ledger));

      List<Long> lsns = Appender.lsns(appenders);
      assertThat(lsns)
          .as("LSNs are dense and unique")
          .containsExactlyInAnyOrderElementsOf(range(1, Appender.opCount(appenders)));
      long flushed = log.flush();
      assertThat(ledger.covers(flushed)).as("flush() covers %s", flushed).isTrue();
      Appender.checkReadBack(appenders, Payloads.readAll(log, 1));
    }
  }

  /**
   * The segment flush after the first 0 or 1 fails while three threads append and wait; the log
   * must fail-stop: every waiter and every later call gets {@link LogFailedException}.
   */
  private void failStop(SplittableRandom workload) throws Exception {
    try (Vfs memory = newVfs(); LedgerVfs ledger = new LedgerVfs(memory)) {
      WriteAheadLog log = WriteAheadLog.open(ledger, CONFIG);
      try {
        ledger.failSegmentFlush(workload.nextInt(2));
        List<Appender> appenders =
            Appender.scripted(
                log, ledger, workload, 3, 2, Appender.ANY_OP, LogFailedException.class);
        Appender.runAll(appenders, Appender.flushedLsnObserver(log, ledger));

        Appender.checkFailStop(log, ledger);
        assertThat(ledger.covers(log.flushedLsn()))
            .as("the flushed LSN %s passes what completed flushes covered", log.flushedLsn())
            .isTrue();
      } catch (Throwable e) {
        closeAfterFailure(log, e);
        throw e;
      }
      Appender.closeFailed(log);
    }
  }

  /** Two appenders race with close: each append gets its LSN, durable, or is refused. */
  private void closeDuringAppends(SplittableRandom workload) throws Exception {
    try (Vfs memory = newVfs(); LedgerVfs ledger = new LedgerVfs(memory)) {
      WriteAheadLog log = WriteAheadLog.open(ledger, CONFIG);
      try {
        raceWithClose(log, ledger, workload);
      } finally {
        log.close(); // does nothing once closed; ends the log's threads if the race failed
      }
    }
  }

  private static void raceWithClose(WriteAheadLog log, LedgerVfs ledger, SplittableRandom workload)
      throws Exception {
    List<Appender> appenders =
        Appender.scripted(
            log, ledger, workload, 2, 2, Appender.APPENDS_ONLY, AlreadyClosedException.class);
    Appender.runAll(appenders, log::close);

    List<Long> lsns = Appender.lsns(appenders);
    assertThat(lsns)
        .as("LSNs are dense and unique")
        .containsExactlyInAnyOrderElementsOf(range(1, lsns.size()));
    for (long lsn : lsns) {
      assertThat(ledger.covers(lsn)).as("close made LSN %s durable", lsn).isTrue();
    }
    try (WriteAheadLog reopened = WriteAheadLog.open(ledger, CONFIG)) {
      Appender.checkReadBack(appenders, Payloads.readAll(reopened, 1));
    }
  }

  private static void closeAfterFailure(WriteAheadLog log, Throwable failure) {
    try {
      log.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> range = new ArrayList<>();
    for (long lsn = from; lsn <= to; lsn++) {
      range.add(lsn);
    }
    return range;
  }
}
