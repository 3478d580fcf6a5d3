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
import java.util.Set;

/**
 * A record of what a log promised, to check a recovered log against: every record acknowledged
 * as durable is there with its exact payload and tag, LSNs are dense, and nothing is returned
 * that was never appended, that a finished {@code truncateAfter} cut, or that an earlier recovery
 * dropped.
 *
 * <p>Workloads tell it what they do, in this order: {@link #next} before an append (the payload
 * names its append, see {@link CrashPayload}), {@link #appended} when the append returned its
 * LSN, {@link #durableThrough} when {@code append}, {@code waitFor} or {@code flush} returned,
 * and the {@code truncate...Started}/{@code Returned} pairs around truncations. A crash image is
 * checked against a {@link Promise} taken when the crash happened: only acknowledgements made
 * before it count, while anything appended (even later, even by an append that failed) may be
 * there. After a reopen, {@link #adopt} makes the recovered log the new truth: the reopened log
 * reports every record it holds as durable.
 *
 * <p>Acknowledgement timing: an append still in flight at the crash may or may not survive; a
 * record cut by a {@code truncateAfter} that returned must never come back, one cut by a
 * truncation still running may; {@code truncateBefore} may keep more than asked, so records below
 * its LSN are allowed but no longer required. {@code truncateAfter} must not run concurrently with
 * appends (an append waiting behind it gets an LSN the oracle could not place).
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class DurabilityOracle {
  /** An append about to be made: its serial, payload and tag. */
  record Append(long serial, byte[] payload, long tag) {}

  /** What a crash at one moment must keep: each LSN from {@code floorLsn} to {@code durableLsn}. */
  record Promise(long durableLsn, long floorLsn) {}

  private long nextSerial = 1; // guarded by this
  private final Map<Long, Long> serialAt = new HashMap<>(); // LSN -> serial; guarded by this
  private final Map<Long, Long> lsnOf = new HashMap<>(); // serial -> LSN; guarded by this
  private final Set<Long> forbidden = new HashSet<>(); // serials cut for good; guarded by this
  private long durableLsn; // guarded by this
  private long floorLsn = 1; // guarded by this

  /** {@return an independent oracle in this one's state, to branch a workload after a crash} */
  synchronized DurabilityOracle copy() {
    DurabilityOracle copy = new DurabilityOracle();
    copy.nextSerial = nextSerial;
    copy.serialAt.putAll(serialAt);
    copy.lsnOf.putAll(lsnOf);
    copy.forbidden.addAll(forbidden);
    copy.durableLsn = durableLsn;
    copy.floorLsn = floorLsn;
    return copy;
  }

  /** {@return a new append of {@code size} bytes (at least {@link CrashPayload#MIN_BYTES})} */
  synchronized Append next(int size) {
    long serial = nextSerial++;
    return new Append(serial, CrashPayload.encode(serial, size), CrashPayload.tagOf(serial));
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

  /** {@code truncateBefore(lsn)} is about to run: records below {@code lsn} may go. */
  synchronized void truncateBeforeStarted(long lsn) {
    floorLsn = Math.max(floorLsn, lsn);
  }

  /** {@code truncateAfter(lsn)} is about to run: records after {@code lsn} may go. */
  synchronized void truncateAfterStarted(long lsn) {
    durableLsn = Math.min(durableLsn, lsn);
  }

  /** {@code truncateAfter(lsn)} returned: the records after {@code lsn} must never come back. */
  synchronized void truncateAfterReturned(long lsn) {
    serialAt.entrySet().removeIf(e -> {
      if (e.getKey() > lsn) {
        forbidden.add(e.getValue());
        lsnOf.remove(e.getValue());
        return true;
      }
      return false;
    });
  }

  /** {@return what a crash now must keep} */
  synchronized Promise promise() {
    return new Promise(durableLsn, floorLsn);
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
      } else if (forbidden.contains(serial)) {
        problems.add("LSN " + lsn + " holds append #" + serial
            + ", which a finished truncateAfter or an earlier recovery removed for good");
      } else if (placed != null && placed != lsn) {
        problems.add("LSN " + lsn + " holds append #" + serial + ", which was given LSN " + placed);
      } else if (expected != null && expected != serial) {
        problems.add("LSN " + lsn + " holds append #" + serial + " instead of append #" + expected);
      } else if (!seen.add(serial)) {
        problems.add("append #" + serial + " appears twice, again at LSN " + lsn);
      }
    }
    long lost = 0;
    for (long lsn = Math.max(promise.floorLsn(), 1); lsn <= promise.durableLsn(); lsn++) {
      if (lsn < first || lsn > last) {
        lost++;
      }
    }
    if (lost > 0) {
      problems.add(lost + " acknowledged records lost: every LSN from "
          + Math.max(promise.floorLsn(), 1) + " to " + promise.durableLsn()
          + " was acknowledged durable and kept, but the log holds LSNs " + first + " to " + last);
    }
    return new Verdict(first, last, found, lost, problems);
  }

  /**
   * Makes a checked, reopened log the new truth: its records are durable (the reopened log says
   * so), and every append it does not hold is gone for good.
   */
  synchronized void adopt(Verdict verdict) {
    serialAt.clear();
    lsnOf.clear();
    for (Map.Entry<Long, Long> e : verdict.serials().entrySet()) {
      serialAt.put(e.getKey(), e.getValue());
      lsnOf.put(e.getValue(), e.getKey());
    }
    for (long serial = 1; serial < nextSerial; serial++) {
      if (!lsnOf.containsKey(serial)) {
        forbidden.add(serial);
      }
    }
    durableLsn = verdict.lastLsn();
    floorLsn = verdict.firstLsn();
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
