package dev.wal.engine.crash;

import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A record of what a log promised, to check a recovered log against: every record acknowledged
 * as durable is there with its exact payload and tag, LSNs are dense, every batch is there whole
 * or not at all, the first LSN is the one the last acknowledged {@code truncateBefore} or {@code
 * reset} set, and nothing is returned that was never appended, that a finished {@code
 * truncateAfter} cut or {@code reset} discarded, or that an earlier recovery dropped.
 *
 * <p>Workloads tell it what they do, in this order: {@link #next} (or {@link #nextBatch}) before
 * an append (the payload names its append, see {@link CrashPayload}), {@link #appended} when the
 * append returned its LSN, {@link #durableThrough} when {@code append}, {@code appendAll}, {@code
 * waitFor} or {@code flush} returned, and the {@code ...Started}/{@code Returned} pairs around
 * truncations and resets. A crash image is
 * checked against a {@link Promise} taken when the crash happened: only acknowledgements made
 * before it count, while anything appended (even later, even by an append that failed) may be
 * there. After a reopen, {@link #adopt} makes the recovered log the new truth: the reopened log
 * reports every record it holds as durable.
 *
 * <p>Acknowledgement timing: an append still in flight at the crash may or may not survive; a
 * record cut by a {@code truncateAfter} that returned must never come back, one cut by a
 * truncation still running may; the log's first LSN is the last acknowledged {@code
 * truncateBefore}'s or {@code reset}'s, or that of one still running. A reset still running at
 * the crash leaves the old log (checked as if the reset had not begun) or the new empty one.
 * {@code truncateAfter} and {@code reset} must not run concurrently with appends (an append
 * waiting behind them gets an LSN the oracle could not place).
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class DurabilityOracle {
  /** An append about to be made: its serial, payload and tag. */
  record Append(long serial, byte[] payload, long tag) {}

  /**
   * What a crash at one moment must keep: the first LSN {@code firstLsn}, or one of {@code
   * firstsInFlight} (set by a {@code truncateBefore} still running), and each LSN from it to
   * {@code durableLsn}; or, if {@code resetLsn} is not 0 (a reset to it was running), the empty
   * log whose next LSN is {@code resetLsn}.
   */
  record Promise(long durableLsn, long firstLsn, Set<Long> firstsInFlight, long resetLsn) {
    boolean allowsFirst(long lsn) {
      return lsn == firstLsn || firstsInFlight.contains(lsn);
    }

    /** {@return the highest first LSN the log may have} */
    long highestFirst() {
      return firstsInFlight.stream().mapToLong(Long::longValue).max().orElse(firstLsn);
    }
  }

  private long nextSerial = 1; // guarded by this
  private final Map<Long, Long> serialAt = new HashMap<>(); // LSN -> serial; guarded by this
  private final Map<Long, Long> lsnOf = new HashMap<>(); // serial -> LSN; guarded by this
  // serials cut for good -> what cut them; guarded by this
  private final Map<Long, String> forbidden = new HashMap<>();
  private Batches batches = new Batches(); // guarded by this
  private long durableLsn; // guarded by this
  private long firstLsn = 1; // acknowledged; guarded by this
  // truncateBefore LSNs above firstLsn that were started and may have taken effect; guarded by this
  private final NavigableSet<Long> firstsInFlight = new TreeSet<>();
  private long resetLsn; // of a reset started and not returned, or 0; guarded by this

  /** {@return an independent oracle in this one's state, to branch a workload after a crash} */
  synchronized DurabilityOracle copy() {
    DurabilityOracle copy = new DurabilityOracle();
    copy.nextSerial = nextSerial;
    copy.serialAt.putAll(serialAt);
    copy.lsnOf.putAll(lsnOf);
    copy.forbidden.putAll(forbidden);
    copy.batches = batches.copy();
    copy.durableLsn = durableLsn;
    copy.firstLsn = firstLsn;
    copy.firstsInFlight.addAll(firstsInFlight);
    copy.resetLsn = resetLsn;
    return copy;
  }

  /** {@return a new append of {@code size} bytes (at least {@link CrashPayload#MIN_BYTES})} */
  synchronized Append next(int size) {
    long serial = nextSerial++;
    return new Append(serial, CrashPayload.encode(serial, size), CrashPayload.tagOf(serial));
  }

  /**
   * {@return the appends of a batch, one of each size, noted as one atomic batch} Pass them to
   * {@link #appended} with consecutive LSNs when the batch append returned.
   */
  synchronized Append[] nextBatch(int[] sizes) {
    Append[] batch = new Append[sizes.length];
    long[] serials = new long[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      batch[i] = next(sizes[i]);
      serials[i] = batch[i].serial();
    }
    batches.add(serials);
    return batch;
  }

  /** The append returned {@code lsn}. */
  synchronized void appended(Append append, long lsn) {
    Long before = serialAt.putIfAbsent(lsn, append.serial());
    if (before != null && before != append.serial()) {
      throw new AssertionError("LSN " + lsn + " was handed to append #" + append.serial()
          + " and, with no truncation between, to append #" + before);
    }
    lsnOf.put(append.serial(), lsn);
  }

  /** {@code append}, {@code waitFor(lsn)} or {@code flush()} (returning {@code lsn}) returned. */
  synchronized void durableThrough(long lsn) {
    durableLsn = Math.max(durableLsn, lsn);
  }

  /** {@code truncateBefore(lsn)} is about to run: the first LSN may become {@code lsn}. */
  synchronized void truncateBeforeStarted(long lsn) {
    if (lsn > firstLsn) {
      firstsInFlight.add(lsn);
    }
  }

  /** {@code truncateBefore(lsn)} returned: the first LSN is at least {@code lsn}, durably. */
  synchronized void truncateBeforeReturned(long lsn) {
    firstLsn = Math.max(firstLsn, lsn);
    firstsInFlight.headSet(firstLsn, true).clear();
  }

  /** {@code truncateAfter(lsn)} is about to run: records after {@code lsn} may go. */
  synchronized void truncateAfterStarted(long lsn) {
    durableLsn = Math.min(durableLsn, lsn);
    batches.splitAt(lsn, lsnOf);
  }

  /** {@code truncateAfter(lsn)} returned: the records after {@code lsn} must never come back. */
  synchronized void truncateAfterReturned(long lsn) {
    serialAt.entrySet().removeIf(e -> {
      if (e.getKey() > lsn) {
        forbidden.put(e.getValue(), "a finished truncateAfter(" + lsn + ") cut");
        lsnOf.remove(e.getValue());
        return true;
      }
      return false;
    });
  }

  /** {@code reset(nextLsn)} is about to run: a crash may leave the old log or the new empty one. */
  synchronized void resetStarted(long nextLsn) {
    resetLsn = nextLsn;
  }

  /**
   * {@code reset(nextLsn)} returned: no record appended before it may come back, and the log is
   * empty with first LSN {@code nextLsn}.
   */
  synchronized void resetReturned(long nextLsn) {
    for (long serial = 1; serial < nextSerial; serial++) {
      forbidden.putIfAbsent(serial, "a finished reset(" + nextLsn + ") discarded");
    }
    serialAt.clear();
    lsnOf.clear();
    batches.clear();
    firstLsn = nextLsn;
    firstsInFlight.clear();
    durableLsn = nextLsn - 1;
    resetLsn = 0;
  }

  /** {@return what a crash now must keep} */
  synchronized Promise promise() {
    return new Promise(durableLsn, firstLsn, Set.copyOf(firstsInFlight), resetLsn);
  }

  /** {@return how many appends were started} */
  synchronized long appendsStarted() {
    return nextSerial - 1;
  }

  /**
   * Reads every record of a just-opened log and checks it against a promise.
   *
   * @param log a log opened on the storage being checked (a crash image, or after a reopen)
   * @param promise what the storage must keep
   * @return what was found; {@link Verdict#assertKept} throws if a promise was broken
   * @throws IOException if reading failed (a {@link dev.wal.CorruptLogException} included)
   */
  Verdict check(WriteAheadLog log, Promise promise) throws IOException {
    long first = log.firstLsn();
    long last = log.lastLsn();
    List<String> problems = new ArrayList<>();
    if (log.flushedLsn() != last) {
      problems.add("a reopened log reports LSN " + log.flushedLsn()
          + " durable but holds LSNs up to " + last);
    }
    Map<Long, Long> found = new HashMap<>();
    try (LogReader reader = log.reader(first)) {
      long expected = first;
      for (LogRecord r; (r = reader.next()) != null; expected++) {
        if (r.lsn() != expected) {
          problems.add("LSNs not dense: LSN " + r.lsn() + " where " + expected + " was due");
        }
        ByteBuffer payload = r.payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        try {
          found.put(r.lsn(), CrashPayload.decode(bytes, r.tag()));
        } catch (IllegalArgumentException e) {
          problems.add("LSN " + r.lsn() + " holds " + e.getMessage());
        }
      }
      if (expected != last + 1) {
        problems.add("the reader stopped before LSN " + expected + " but the log holds LSNs up to "
            + last);
      }
    }
    return judge(first, last, found, promise, problems);
  }

  private synchronized Verdict judge(long first, long last, Map<Long, Long> found, Promise promise,
      List<String> problems) {
    Set<Long> seen = new HashSet<>();
    for (Map.Entry<Long, Long> e : found.entrySet()) {
      long lsn = e.getKey();
      long serial = e.getValue();
      Long placed = lsnOf.get(serial);
      Long expected = serialAt.get(lsn);
      if (serial >= nextSerial) {
        problems.add("LSN " + lsn + " holds append #" + serial + ", which was never made");
      } else if (forbidden.containsKey(serial)) {
        problems.add("LSN " + lsn + " holds append #" + serial + ", which "
            + forbidden.get(serial) + " for good");
      } else if (placed != null && placed != lsn) {
        problems.add("LSN " + lsn + " holds append #" + serial + ", which was given LSN " + placed);
      } else if (expected != null && expected != serial) {
        problems.add("LSN " + lsn + " holds append #" + serial + " instead of append #" + expected);
      } else if (!seen.add(serial)) {
        problems.add("append #" + serial + " appears twice, again at LSN " + lsn);
      }
    }
    batches.check(first, last, found, problems);
    long lost = 0;
    boolean reset = promise.resetLsn() != 0 && first == promise.resetLsn() && last == first - 1;
    if (!reset) { // the old log, as if the reset still running had not begun
      lost = lost(first, last, promise, problems);
    }
    return new Verdict(first, last, found, lost, problems);
  }

  /** Checks a log's first LSN and {@return how many acknowledged records it lost} */
  private static long lost(long first, long last, Promise promise, List<String> problems) {
    if (!promise.allowsFirst(first)) {
      problems.add("the log starts at LSN " + first + ", but the last acknowledged truncateBefore "
          + "or reset made it start at " + promise.firstLsn()
          + (promise.firstsInFlight().isEmpty() ? ""
              : " (or, by one still running, at one of " + promise.firstsInFlight() + ")"));
    }
    // Every LSN from the first the log may have to the durable one must be there.
    long from = Math.max(1, promise.allowsFirst(first) ? first : promise.highestFirst());
    long to = promise.durableLsn();
    long lost = Math.max(0, to - from + 1)
        - Math.max(0, Math.min(to, last) - Math.max(from, first) + 1);
    if (lost > 0) {
      problems.add(lost + " acknowledged records lost: every LSN from " + from + " to " + to
          + " was acknowledged durable and kept, but the log holds LSNs " + first + " to " + last);
    }
    return lost;
  }

  /**
   * Makes a checked, reopened log the new truth: its records are durable (the reopened log says
   * so), and every append it does not hold is gone for good.
   */
  synchronized void adopt(Verdict verdict) {
    lsnOf.forEach((serial, lsn) -> {
      if (lsn < verdict.firstLsn()) {
        forbidden.putIfAbsent(serial, "a truncateBefore(" + verdict.firstLsn() + ") cut");
      }
    });
    serialAt.clear();
    lsnOf.clear();
    for (Map.Entry<Long, Long> e : verdict.serials().entrySet()) {
      serialAt.put(e.getKey(), e.getValue());
      lsnOf.put(e.getValue(), e.getKey());
    }
    for (long serial = 1; serial < nextSerial; serial++) {
      if (!lsnOf.containsKey(serial)) {
        forbidden.putIfAbsent(serial, "an earlier recovery dropped");
      }
    }
    batches.dropIf(forbidden::containsKey);
    durableLsn = verdict.lastLsn();
    firstLsn = verdict.firstLsn();
    firstsInFlight.clear();
    resetLsn = 0;
  }

  /** What a check found: the log's range, each LSN's append, lost records and every problem. */
  record Verdict(long firstLsn, long lastLsn, Map<Long, Long> serials, long lost,
      List<String> problems) {
    /** {@return whether every promise was kept} */
    boolean kept() {
      return problems.isEmpty();
    }

    /** Throws an {@link AssertionError} listing the problems, if any, after {@code context}. */
    void assertKept(String context) {
      if (!problems.isEmpty()) {
        throw new AssertionError(context + ": the recovered log (LSNs " + firstLsn + " to "
            + lastLsn + ") broke " + problems.size() + " promise(s):\n  "
            + String.join("\n  ", problems.subList(0, Math.min(10, problems.size()))));
      }
    }
  }
}
