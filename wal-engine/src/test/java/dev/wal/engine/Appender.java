package dev.wal.engine;

import dev.wal.LogFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One appending thread of a {@link GroupCommitScenarios} scenario: it runs a {@link Script} of
 * operations, each appending one record, and checks their acknowledgments against a {@link
 * LedgerVfs} the moment they return. A call may be refused (the log failed, or is closed); every
 * later call of the same thread must be refused too.
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

  /**
   * What one appender does, drawn from a seed before any schedule runs, so that every schedule of
   * a scenario runs the same operations with the same bytes.
   */
  static final class Script {
    private final int index;
    private final Op[] ops;
    private final byte[][] payloads;

    private Script(int index, Op[] ops, byte[][] payloads) {
      this.index = index;
      this.ops = ops;
      this.payloads = payloads;
    }

    long tag(int step) {
      return ((long) index << 32) | step;
    }

    @Override
    public String toString() {
      return "appender " + index + ": " + Arrays.toString(ops);
    }
  }

  private final WriteAheadLog log;
  private final LedgerVfs ledger;
  private final Script script;

  /** What refusal the scenario expects, or null. */
  private final Class<? extends Exception> refusal;

  /** The LSN each step got (0: none). */
  private final long[] lsns;

  private boolean refused;

  private Appender(
      WriteAheadLog log, LedgerVfs ledger, Script script, Class<? extends Exception> refusal) {
    this.log = log;
    this.ledger = ledger;
    this.script = script;
    this.refusal = refusal;
    this.lsns = new long[script.ops.length];
  }

  /** {@return {@code threads} scripts of {@code steps} steps each, drawn from {@code choices}} */
  static List<Script> scripts(SplittableRandom workload, int threads, int steps, Op[] choices) {
    List<Script> scripts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Op[] ops = new Op[steps];
      byte[][] payloads = new byte[steps][];
      for (int i = 0; i < steps; i++) {
        ops[i] = choices[workload.nextInt(choices.length)];
        // small records share a buffer; large ones seal buffers and rotate 16 KiB segments
        int size = workload.nextBoolean() ? workload.nextInt(200) : 1000 + workload.nextInt(2000);
        payloads[i] = Payloads.bytes(((long) t << 32) | i, size);
      }
      scripts.add(new Script(t, ops, payloads));
    }
    return scripts;
  }

  /**
   * {@return one appender per script, on {@code log}}
   *
   * @param refusal the exception a step may be refused with, or null if none may be
   */
  static List<Appender> of(
      List<Script> scripts,
      WriteAheadLog log,
      LedgerVfs ledger,
      Class<? extends Exception> refusal) {
    List<Appender> appenders = new ArrayList<>();
    for (Script script : scripts) {
      appenders.add(new Appender(log, ledger, script, refusal));
    }
    return appenders;
  }

  /** Throws an {@link AssertionError} with the formatted message unless {@code condition}. */
  static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new AssertionError(String.format(format, args));
    }
  }

  /** Checks that {@code step} throws {@code expected}. */
  static void checkThrows(Class<? extends Throwable> expected, Step step, String what) {
    try {
      step.run();
    } catch (Throwable e) {
      check(expected.isInstance(e), "%s threw %s, not %s", what, e, expected.getSimpleName());
      return;
    }
    throw new AssertionError(what + " returned instead of throwing " + expected.getSimpleName());
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
      for (int i = 0; i < 3; i++) {
        long flushed = log.flushedLsn();
        check(flushed >= previous, "the flushed LSN went back from %s to %s", previous, flushed);
        check(
            ledger.covers(flushed),
            "the flushed LSN %s passes what completed flushes covered",
            flushed);
        previous = flushed;
        Thread.yield();
      }
    };
  }

  private void run() throws Exception {
    for (int step = 0; step < script.ops.length; step++) {
      try {
        perform(step);
        check(!refused, "a call succeeded after one was refused (%s, step %s)", script, step);
      } catch (Exception e) {
        if (refusal == null || !refusal.isInstance(e)) {
          throw e;
        }
        refused = true;
      }
    }
  }

  private void perform(int step) throws Exception {
    byte[] payload = script.payloads[step];
    long tag = script.tag(step);
    long lsn;
    switch (script.ops[step]) {
      case APPEND -> {
        lsns[step] = lsn = log.append(payload, tag);
        checkDurable(lsn, "append");
      }
      case NO_WAIT -> lsns[step] = log.appendNoWait(payload, tag);
      case WAIT_FOR -> {
        lsns[step] = lsn = log.appendNoWait(payload, tag);
        log.waitFor(lsn);
        checkDurable(lsn, "waitFor");
      }
      case FLUSH -> {
        lsns[step] = lsn = log.appendNoWait(payload, tag);
        long flushed = log.flush();
        check(flushed >= lsn, "flush() returned %s, less than the last append %s", flushed, lsn);
        checkDurable(flushed, "flush");
      }
    }
  }

  private void checkDurable(long lsn, String call) {
    check(
        ledger.covers(lsn), "%s acknowledged LSN %s before a completed flush covered it", call, lsn);
    long flushed = log.flushedLsn();
    check(flushed >= lsn, "flushedLsn() is %s after %s acknowledged %s", flushed, call, lsn);
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

  /** Checks that {@code lsns} are exactly 1 to {@code count}: dense and unique. */
  static void checkDense(List<Long> lsns, int count) {
    long[] sorted = lsns.stream().mapToLong(Long::longValue).sorted().toArray();
    check(sorted.length == count, "%s LSNs handed out, not %s: %s", sorted.length, count, lsns);
    for (int i = 0; i < sorted.length; i++) {
      check(sorted[i] == i + 1, "LSNs are not dense and unique: %s", Arrays.toString(sorted));
    }
  }

  /** {@return how many steps the appenders have in all} */
  static int opCount(List<Appender> appenders) {
    return appenders.stream().mapToInt(appender -> appender.lsns.length).sum();
  }

  /** Checks that {@code records} are exactly the appenders' records, with their tags and payloads. */
  static void checkReadBack(List<Appender> appenders, List<Payloads.Read> records) {
    Map<Long, Payloads.Read> byLsn = new HashMap<>();
    for (Payloads.Read record : records) {
      byLsn.put(record.lsn(), record);
    }
    int expected = lsns(appenders).size();
    check(records.size() == expected, "%s records read back, not %s", records.size(), expected);
    for (Appender appender : appenders) {
      for (int step = 0; step < appender.lsns.length; step++) {
        long lsn = appender.lsns[step];
        if (lsn != 0) {
          Payloads.Read record = byLsn.get(lsn);
          check(record != null, "record %s is not read back", lsn);
          check(record.tag() == appender.script.tag(step), "record %s has tag %s", lsn, record.tag());
          check(
              Arrays.equals(record.payload(), appender.script.payloads[step]),
              "record %s has other bytes",
              lsn);
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
        check(ledger.covers(lsn), "flush acknowledged LSN %s before a flush covered it", lsn);
      } catch (LogFailedException e) {
        failed = e;
      }
    }
    check(failed != null, "the log did not fail after the injected flush failure");
    check(causedByInjection(failed), "the log failed with another cause: %s", failed.getCause());
    long flushed = log.flushedLsn();
    checkThrows(LogFailedException.class, () -> log.append(new byte[8], -2), "append");
    checkThrows(LogFailedException.class, () -> log.appendNoWait(new byte[8], -3), "appendNoWait");
    checkThrows(LogFailedException.class, log::flush, "flush");
    checkThrows(LogFailedException.class, () -> log.waitFor(log.lastLsn()), "waitFor");
    check(log.flushedLsn() == flushed, "the flushed LSN moved after the failure");
  }

  private static boolean causedByInjection(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e.getMessage() != null && e.getMessage().contains(LedgerVfs.INJECTED)) {
        return true;
      }
    }
    return false;
  }

  /** Closes a failed log: close reports the failure, and releases everything all the same. */
  static void closeFailed(WriteAheadLog log) {
    checkThrows(LogFailedException.class, log::close, "close of a failed log");
  }
}
