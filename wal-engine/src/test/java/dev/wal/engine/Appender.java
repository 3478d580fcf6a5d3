package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One appending thread of a {@link GroupCommitFrayTest} scenario: a seeded script of operations,
 * each appending one record, whose acknowledgments it checks against a {@link LedgerVfs} the
 * moment they return. A call may be refused (the log failed, or is closed); every later call of
 * the same thread must be refused too.
 *
 * <p>Instances are <b>not</b> thread-safe: each runs on its own thread, and is read after it is
 * joined.
 */
final class Appender {
  /** What a script step does. */
  enum Op {
    /** {@code append}: returns once durable. */
    APPEND,
    /** {@code appendNoWait}: returns at once. */
    NO_WAIT,
    /** {@code appendNoWait}, then {@code waitFor} its LSN. */
    WAIT_FOR,
    /** {@code appendNoWait}, then {@code flush}. */
    FLUSH
  }

  static final Op[] ANY_OP = Op.values();
  static final Op[] APPENDS_ONLY = {Op.APPEND, Op.NO_WAIT};

  /** A step that may throw, run on a thread of its own. */
  interface Step {
    void run() throws Exception;
  }

  private final WriteAheadLog log;
  private final LedgerVfs ledger;
  private final int index;
  private final Op[] ops;
  private final int[] sizes;

  /** What refusal the scenario expects, or null. */
  private final Class<? extends Exception> refusal;

  /** The LSN each step got (0: none). */
  private final long[] lsns;

  private boolean refused;

  private Appender(
      WriteAheadLog log,
      LedgerVfs ledger,
      int index,
      Op[] ops,
      int[] sizes,
      Class<? extends Exception> refusal) {
    this.log = log;
    this.ledger = ledger;
    this.index = index;
    this.ops = ops;
    this.sizes = sizes;
    this.refusal = refusal;
    this.lsns = new long[ops.length];
  }

  /**
   * {@return {@code threads} appenders of {@code steps} steps each, drawn from {@code choices}}
   *
   * @param refusal the exception a step may be refused with, or null if none may be
   */
  static List<Appender> scripted(
      WriteAheadLog log,
      LedgerVfs ledger,
      SplittableRandom workload,
      int threads,
      int steps,
      Op[] choices,
      Class<? extends Exception> refusal) {
    List<Appender> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Op[] ops = new Op[steps];
      int[] sizes = new int[steps];
      for (int i = 0; i < steps; i++) {
        ops[i] = choices[workload.nextInt(choices.length)];
        // small records share a buffer; large ones seal buffers and rotate 16 KiB segments
        sizes[i] = workload.nextBoolean() ? workload.nextInt(200) : 1000 + workload.nextInt(2000);
      }
      appenders.add(new Appender(log, ledger, t, ops, sizes, refusal));
    }
    return appenders;
  }

  /**
   * Runs every appender and every other step on its own thread, joins them all, and rethrows the
   * first failure of any of them.
   */
  static void runAll(List<Appender> appenders, Step... others) throws Exception {
    List<Step> steps = new ArrayList<>();
    for (Appender appender : appenders) {
      steps.add(appender::run);
    }
    steps.addAll(List.of(others));
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (Step step : steps) {
      threads.add(
          new Thread(
              () -> {
                try {
                  step.run();
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      AssertionError failed = new AssertionError("a thread failed", failures.poll());
      failures.forEach(failed::addSuppressed);
      throw failed;
    }
  }

  /**
   * {@return a step that reads the flushed LSN a few times: it never goes back, and a completed
   * flush covered it every time}
   */
  static Step flushedLsnObserver(WriteAheadLog log, LedgerVfs ledger) {
    return () -> {
      long previous = 0;
      for (int i = 0; i < 4; i++) {
        long flushed = log.flushedLsn();
        assertThat(flushed).as("the flushed LSN goes back").isGreaterThanOrEqualTo(previous);
        assertThat(ledger.covers(flushed))
            .as("the flushed LSN %s passes what completed flushes covered", flushed)
            .isTrue();
        previous = flushed;
        Thread.yield();
      }
    };
  }

  private long tag(int step) {
    return ((long) index << 32) | step;
  }

  private byte[] payload(int step) {
    return Payloads.bytes(tag(step), sizes[step]);
  }

  private void run() throws Exception {
    for (int step = 0; step < ops.length; step++) {
      try {
        perform(step);
        assertThat(refused).as("a call succeeded after one was refused").isFalse();
      } catch (Exception e) {
        if (refusal == null || !refusal.isInstance(e)) {
          throw e;
        }
        refused = true;
      }
    }
  }

  private void perform(int step) throws Exception {
    long lsn;
    switch (ops[step]) {
      case APPEND -> {
        lsns[step] = lsn = log.append(payload(step), tag(step));
        checkDurable(lsn, "append");
      }
      case NO_WAIT -> lsns[step] = log.appendNoWait(payload(step), tag(step));
      case WAIT_FOR -> {
        lsns[step] = lsn = log.appendNoWait(payload(step), tag(step));
        log.waitFor(lsn);
        checkDurable(lsn, "waitFor");
      }
      case FLUSH -> {
        lsns[step] = lsn = log.appendNoWait(payload(step), tag(step));
        long flushed = log.flush();
        assertThat(flushed).as("flush() returned less than the last append").isGreaterThanOrEqualTo(lsn);
        checkDurable(flushed, "flush");
      }
    }
  }

  private void checkDurable(long lsn, String call) {
    assertThat(ledger.covers(lsn))
        .as("%s acknowledged LSN %s before a completed flush covered it", call, lsn)
        .isTrue();
    assertThat(log.flushedLsn()).as("flushedLsn after %s of %s", call, lsn).isGreaterThanOrEqualTo(lsn);
  }

  /** {@return every LSN the appenders got, in no order} */
  static List<Long> lsns(List<Appender> appenders) {
    List<Long> lsns = new ArrayList<>();
    for (Appender appender : appenders) {
      for (long lsn : appender.lsns) {
        if (lsn != 0) {
          lsns.add(lsn);
        }
      }
    }
    return lsns;
  }

  /** {@return how many steps the appenders have in all} */
  static int opCount(List<Appender> appenders) {
    return appenders.stream().mapToInt(appender -> appender.ops.length).sum();
  }

  /** Checks that {@code records} are exactly the appenders' records, with their tags and payloads. */
  static void checkReadBack(List<Appender> appenders, List<Payloads.Read> records) {
    Map<Long, Payloads.Read> byLsn = new HashMap<>();
    for (Payloads.Read record : records) {
      byLsn.put(record.lsn(), record);
    }
    assertThat(records).as("records read back").hasSize(lsns(appenders).size());
    for (Appender appender : appenders) {
      for (int step = 0; step < appender.ops.length; step++) {
        if (appender.lsns[step] != 0) {
          Payloads.Read record = byLsn.get(appender.lsns[step]);
          assertThat(record).as("record %s read back", appender.lsns[step]).isNotNull();
          assertThat(record.tag()).isEqualTo(appender.tag(step));
          assertThat(record.payload()).isEqualTo(appender.payload(step));
        }
      }
    }
  }

  /**
   * Checks that the log failed (at the latest at the next flushes, when the threads flushed less
   * often than the injected failure needed) and that every later call fails.
   */
  static void checkFailStop(WriteAheadLog log, LedgerVfs ledger) throws Exception {
    LogFailedException failed = null;
    for (int i = 0; i < 3 && failed == null; i++) {
      try {
        long lsn = log.appendNoWait(new byte[8], -1);
        log.flush();
        assertThat(ledger.covers(lsn)).as("flush acknowledged LSN %s", lsn).isTrue();
      } catch (LogFailedException e) {
        failed = e;
      }
    }
    assertThat(failed).as("the log failed after the injected flush failure").isNotNull();
    assertThat(failed).hasStackTraceContaining("injected flush failure");
    long flushed = log.flushedLsn();
    assertThatThrownBy(() -> log.append(new byte[8], -2)).isInstanceOf(LogFailedException.class);
    assertThatThrownBy(() -> log.appendNoWait(new byte[8], -3))
        .isInstanceOf(LogFailedException.class);
    assertThatThrownBy(log::flush).isInstanceOf(LogFailedException.class);
    assertThatThrownBy(() -> log.waitFor(log.lastLsn())).isInstanceOf(LogFailedException.class);
    assertThat(log.flushedLsn()).as("the flushed LSN after the failure").isEqualTo(flushed);
  }

  /** Closes a failed log: close reports the failure, and releases everything all the same. */
  static void closeFailed(WriteAheadLog log) {
    assertThatThrownBy(log::close).isInstanceOf(LogFailedException.class);
  }
}
