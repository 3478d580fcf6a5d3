package dev.wal.engine;

import dev.wal.AlreadyClosedException;
import dev.wal.LogFailedException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scenarios of group commit that {@link GroupCommitFrayTest} explores under Fray's scheduler:
 * threads that append, wait and flush on one log while the log's own threads run. A scenario's
 * workload is drawn from a seed ({@link #draw}), then run on a fresh log ({@link #run}).
 *
 * <p>Under every schedule: LSNs are dense and unique; the flushed LSN never goes back and never
 * passes what a completed flush covered; a record is covered by a completed flush when append,
 * waitFor or flush acknowledges it, and a reader sees it; every waiter returns (the model checker
 * fails a schedule in which all threads block); a failed flush reaches every waiter and every later
 * call; an append racing with close gets its LSN, durable, or {@link AlreadyClosedException}.
 * {@link LedgerVfs} tells what completed flushes covered.
 *
 * <p>The log's own threads are part of the model: the background flusher (with a flush interval of
 * a minute it never forces on its own, so no lost wakeup is hidden by its timer, but it writes
 * batches sealed while nobody writes) and the spare preparer (no preallocation; segments of 16 KiB
 * rotate under the larger payloads). The storage is {@link SparseVfs}, in the heap, so that the
 * model checker explores the log rather than a file system.
 */
enum GroupCommitScenario {
  /** Three appenders and an observer of the flushed LSN; then every record is read back. */
  PROMISES {
    @Override
    Workload draw(SplittableRandom random) {
      return new Workload(Appender.scripts(random, 3, 2, Appender.ANY_OP), -1);
    }

    @Override
    void run(Workload workload, WalConfig config) throws Exception {
      try (LedgerVfs ledger = newVfs();
          WriteAheadLog log = WriteAheadLog.open(ledger, config)) {
        List<Appender> appenders = Appender.of(workload.scripts(), log, ledger, null);
        Appender.runAll(appenders, Appender.flushedLsnObserver(log, ledger));

        Appender.checkDense(Appender.lsns(appenders), Appender.opCount(appenders));
        long flushed = log.flush();
        Appender.check(ledger.covers(flushed), "flush() returned %s, not covered", flushed);
        Appender.checkReadBack(appenders, Payloads.readAll(log, 1));
      }
    }
  },

  /**
   * The segment flush after the first 0 or 1 fails while three threads append and wait; the log
   * must fail-stop: every waiter and every later call gets {@link LogFailedException}.
   */
  FAIL_STOP {
    @Override
    Workload draw(SplittableRandom random) {
      return new Workload(Appender.scripts(random, 3, 2, Appender.ANY_OP), random.nextInt(2));
    }

    @Override
    void run(Workload workload, WalConfig config) throws Exception {
      try (LedgerVfs ledger = newVfs()) {
        WriteAheadLog log = WriteAheadLog.open(ledger, config);
        try {
          ledger.failSegmentFlush(workload.flushesBeforeFailure());
          List<Appender> appenders =
              Appender.of(workload.scripts(), log, ledger, LogFailedException.class);
          Appender.runAll(appenders, Appender.flushedLsnObserver(log, ledger));

          Appender.checkFailStop(log, ledger);
          long flushed = log.flushedLsn();
          Appender.check(
              ledger.covers(flushed), "the flushed LSN %s passes completed flushes", flushed);
        } catch (Throwable e) {
          closeAfterFailure(log, e);
          throw e;
        }
        Appender.closeFailed(log);
      }
    }
  },

  /** Two appenders race with close: each append gets its LSN, durable, or is refused. */
  CLOSE {
    @Override
    Workload draw(SplittableRandom random) {
      return new Workload(Appender.scripts(random, 2, 2, Appender.APPENDS_ONLY), -1);
    }

    @Override
    void run(Workload workload, WalConfig config) throws Exception {
      try (LedgerVfs ledger = newVfs()) {
        WriteAheadLog log = WriteAheadLog.open(ledger, config);
        List<Appender> appenders;
        try {
          appenders = Appender.of(workload.scripts(), log, ledger, AlreadyClosedException.class);
          Appender.runAll(appenders, log::close);
        } finally {
          log.close(); // does nothing once closed; ends the log's threads if the race failed
        }
        List<Long> lsns = Appender.lsns(appenders);
        Appender.checkDense(lsns, lsns.size());
        for (long lsn : lsns) {
          Appender.check(ledger.covers(lsn), "close did not make LSN %s durable", lsn);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(ledger, config)) {
          Appender.checkReadBack(appenders, Payloads.readAll(reopened, 1));
        }
      }
    }
  };

  /** Small segments and buffers, so that a few records seal buffers and rotate segments. */
  static WalConfig.Builder config() {
    return WalConfig.builder()
        .segmentBytes(16 << 10)
        .bufferBytes(4096)
        .maxRecordBytes(4096)
        .flushInterval(Duration.ofMinutes(1))
        .preallocate(false);
  }

  /** The sector size of the scenarios' storage. */
  private static final int SECTOR_BYTES = 512;

  /**
   * What a scenario does, drawn from a seed before any schedule runs.
   *
   * @param scripts the appenders' operations and payloads
   * @param flushesBeforeFailure segment flushes before the one that fails; negative: none fails
   */
  record Workload(List<Appender.Script> scripts, int flushesBeforeFailure) {}

  /** {@return this scenario's workload, drawn from {@code random}} */
  abstract Workload draw(SplittableRandom random);

  /** Runs {@code workload} on a fresh log with {@code config}, and checks every promise it made. */
  abstract void run(Workload workload, WalConfig config) throws Exception;

  private static LedgerVfs newVfs() {
    return new LedgerVfs(new SparseVfs(SECTOR_BYTES));
  }

  private static void closeAfterFailure(WriteAheadLog log, Throwable failure) {
    try {
      log.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }
}
