package dev.wal.engine.crash;

import dev.wal.LogEntry;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one thread's randomly drawn operations on a log and tells the {@link DurabilityOracle}
 * what each one did: appends one at a time and in atomic batches, durable or not, waits, flushes,
 * both truncations, resets and reopens. The log may be shared by several drivers; {@link
 * #reopen}, {@code truncateAfter} and {@code reset} only run when a driver is told it is alone
 * ({@code alone}).
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
    if (pick < 27) {
      append(random, true);
    } else if (pick < 51) {
      append(random, false);
    } else if (pick < 57) {
      appendAll(random, true);
    } else if (pick < 63) {
      appendAll(random, false);
    } else if (pick < 73) {
      waitForOwn(random);
    } else if (pick < 83) {
      oracle.durableThrough(log.flush());
      done("flush");
    } else if (pick < 88) {
      truncateBefore(random);
    } else if (alone && pick < 93) {
      truncateAfter(random);
    } else if (alone && pick < 96) {
      reset(random);
    } else if (alone) {
      reopen();
    } else if (pick < 94) {
      append(random, random.nextBoolean());
    } else {
      appendAll(random, random.nextBoolean());
    }
  }

  /**
   * Runs one of the operations only a driver alone runs: truncateAfter, reset or reopen. For the
   * step between the phases of a concurrent workload, so that these run in every such workload.
   */
  void stepAlone(SplittableRandom random) throws IOException {
    switch (random.nextInt(3)) {
      case 0 -> truncateAfter(random);
      case 1 -> reset(random);
      default -> reopen();
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

  /**
   * Appends a batch of 1 to 4 records with {@code appendAll} (or {@code appendAllNoWait}): mostly
   * small, sometimes as large as a group may be, so that it spans the append buffers.
   */
  void appendAll(SplittableRandom random, boolean durable) throws IOException {
    DurabilityOracle.Append[] batch = oracle.nextBatch(batchSizes(random));
    List<LogEntry> entries = new ArrayList<>(batch.length);
    long[] tags = new long[batch.length];
    for (int i = 0; i < batch.length; i++) {
      entries.add(LogEntry.of(batch[i].payload()));
      tags[i] = batch[i].tag();
    }
    long first = durable ? log.appendAll(entries, tags) : log.appendAllNoWait(entries, tags);
    for (int i = 0; i < batch.length; i++) {
      oracle.appended(batch[i], first + i);
    }
    long last = first + batch.length - 1;
    if (durable) {
      oracle.durableThrough(last);
    }
    lastAppended = last;
    done(durable ? "appendAll" : "appendAllNoWait");
  }

  private int[] batchSizes(SplittableRandom random) {
    int[] sizes = new int[1 + random.nextInt(4)];
    boolean large = random.nextInt(6) == 0;
    // A group may take what one record of the largest size takes: the segment less its 4 KiB
    // header block, for the records (a 32-byte header each, 8-byte aligned) and a 32-byte trailer.
    long room = config.segmentBytes() - 4096 - 32;
    for (int i = 0; i < sizes.length; i++) {
      long share = room / (sizes.length - i) - 40;
      int max = (int) Math.min(config.maxRecordBytes(), share);
      int size = large
          ? max / 2 + random.nextInt(max / 2 + 1)
          : CrashPayload.MIN_BYTES + random.nextInt(200);
      sizes[i] = Math.max(CrashPayload.MIN_BYTES, Math.min(size, max));
      room -= sizes[i] + 40;
    }
    return sizes;
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
    truncateBefore(first + random.nextLong(Math.max(1, last + 2 - first)));
  }

  /** Truncates before the last record: every segment but the newest goes (or is recycled). */
  void truncateBehind() throws IOException {
    truncateBefore(Math.max(log.firstLsn(), log.lastLsn()));
  }

  private void truncateBefore(long lsn) throws IOException {
    oracle.truncateBeforeStarted(lsn);
    log.truncateBefore(lsn);
    oracle.truncateBeforeReturned(lsn);
    if (log.firstLsn() < lsn) {
      throw new AssertionError("truncateBefore(" + lsn + ") returned, and the log starts at "
          + log.firstLsn());
    }
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

  /**
   * Resets the log: to an LSN at or below its first (LSNs are used again), to the next LSN, or
   * past it.
   */
  private void reset(SplittableRandom random) throws IOException {
    long next = switch (random.nextInt(4)) {
      case 0 -> 1 + random.nextLong(log.firstLsn());
      case 1 -> log.lastLsn() + 1;
      default -> log.lastLsn() + 2 + random.nextLong(1000);
    };
    oracle.resetStarted(next);
    log.reset(next);
    oracle.resetReturned(next);
    if (log.firstLsn() != next || log.lastLsn() != next - 1) {
      throw new AssertionError("reset(" + next + ") returned, and the log holds LSNs "
          + log.firstLsn() + " to " + log.lastLsn());
    }
    lastAppended = 0;
    done("reset");
  }

  /** Closes the log and opens it again, checking it against the oracle. */
  void reopen() throws IOException {
    log.close();
    log = openChecked(vfs, config, oracle, "reopening " + vfs.spec() + " after a clean close");
    lastAppended = 0;
    done("reopen");
  }
}
