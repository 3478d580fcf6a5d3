package dev.wal.engine.crash;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one thread's randomly drawn operations on a log and tells the {@link DurabilityOracle}
 * what each one did. The log may be shared by several drivers; {@link #reopen} and
 * {@code truncateAfter} only run when a driver is told it is alone ({@code alone}).
 *
 * <p>Instances are <b>not</b> thread-safe: one driver per thread.
 */
final class LogDriver {
  /** What drivers did in this JVM, by kind: finished operations, so a test can check coverage. */
  static final ConcurrentHashMap<String, LongAdder> DONE = new ConcurrentHashMap<>();

  private final Vfs vfs;
  private final WalConfig config;
  private final DurabilityOracle oracle;
  private WriteAheadLog log;
  private long lastAppended;

  LogDriver(Vfs vfs, WalConfig config, DurabilityOracle oracle, WriteAheadLog log) {
    this.vfs = vfs;
    this.config = config;
    this.oracle = oracle;
    this.log = log;
  }

  /** Opens the log on {@code vfs}, checks it against the oracle and adopts it. */
  static WriteAheadLog openChecked(Vfs vfs, WalConfig config, DurabilityOracle oracle,
      String context) throws IOException {
    WriteAheadLog log = WriteAheadLog.open(vfs, config);
    boolean success = false;
    try {
      DurabilityOracle.Verdict verdict = oracle.check(log, oracle.promise());
      verdict.assertKept(context);
      oracle.adopt(verdict);
      success = true;
      return log;
    } finally {
      if (!success) {
        closeQuietly(log);
      }
    }
  }

  static void closeQuietly(WriteAheadLog log) {
    try {
      log.close();
    } catch (IOException e) {
      // The caller already has the failure that matters; the log releases its files regardless.
    }
  }

  WriteAheadLog log() {
    return log;
  }

  /** Runs one operation drawn from {@code random}. */
  void step(SplittableRandom random, boolean alone) throws IOException {
    int pick = random.nextInt(100);
    if (pick < 33) {
      append(random, true);
    } else if (pick < 63) {
      append(random, false);
    } else if (pick < 73) {
      waitForOwn(random);
    } else if (pick < 83) {
      oracle.durableThrough(log.flush());
      done("flush");
    } else if (pick < 88) {
      truncateBefore(random);
    } else if (alone && pick < 94) {
      truncateAfter(random);
    } else if (alone) {
      reopen();
    } else {
      append(random, random.nextBoolean());
    }
  }

  void append(SplittableRandom random, boolean durable) throws IOException {
    DurabilityOracle.Append append = oracle.next(payloadSize(random));
    long lsn = durable
        ? log.append(append.payload(), append.tag())
        : log.appendNoWait(append.payload(), append.tag());
    oracle.appended(append, lsn);
    if (durable) {
      oracle.durableThrough(lsn);
    }
    lastAppended = lsn;
    done(durable ? "append" : "appendNoWait");
  }

  private static void done(String kind) {
    DONE.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  private int payloadSize(SplittableRandom random) {
    int max = Math.min(config.maxRecordBytes(), 2 * config.bufferBytes());
    if (random.nextInt(12) == 0) {
      return CrashPayload.MIN_BYTES + random.nextInt(max - CrashPayload.MIN_BYTES + 1);
    }
    return CrashPayload.MIN_BYTES + random.nextInt(200);
  }

  private void waitForOwn(SplittableRandom random) throws IOException {
    if (lastAppended < 1 || lastAppended > log.lastLsn()) {
      append(random, false);
      return;
    }
    log.waitFor(lastAppended);
    oracle.durableThrough(lastAppended);
    done("waitFor");
  }

  private void truncateBefore(SplittableRandom random) throws IOException {
    long first = log.firstLsn();
    long last = log.lastLsn();
    long lsn = first + random.nextLong(Math.max(1, last + 2 - first));
    oracle.truncateBeforeStarted(lsn);
    log.truncateBefore(lsn);
    done("truncateBefore");
  }

  private void truncateAfter(SplittableRandom random) throws IOException {
    long first = log.firstLsn();
    long last = log.lastLsn();
    long lowest = random.nextInt(8) == 0 ? first - 1 : Math.max(first - 1, last - 12);
    long lsn = lowest + random.nextLong(last + 1 - lowest);
    oracle.truncateAfterStarted(lsn);
    log.truncateAfter(lsn);
    oracle.truncateAfterReturned(lsn);
    lastAppended = Math.min(lastAppended, lsn);
    done("truncateAfter");
  }

  /** Closes the log and opens it again, checking it against the oracle. */
  void reopen() throws IOException {
    log.close();
    log = openChecked(vfs, config, oracle, "reopening " + vfs.spec() + " after a clean close");
    lastAppended = 0;
    done("reopen");
  }
}
