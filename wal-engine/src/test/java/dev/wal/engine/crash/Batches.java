package dev.wal.engine.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The atomic batches ({@code appendAll}) a {@link DurabilityOracle} knows, as the serials of their
 * appends, and the check that a recovered log holds each of them whole or not at all.
 *
 * <p>A batch is whole when every record of it at or above the log's first LSN is there, at
 * consecutive LSNs: {@code truncateBefore} may cut the front of a batch (the log's first LSN moves
 * into it), never its end. A {@code truncateAfter} into a batch splits it in two, each atomic on
 * its own ({@link #splitAt}). A batch the log never placed (its call did not return) is checked
 * from where its records were found.
 *
 * <p>Instances are <b>not</b> thread-safe: the oracle guards them with its lock.
 */
final class Batches {
  private final List<long[]> batches = new ArrayList<>();

  /** Notes a batch about to be appended: the serials of its appends, in order. */
  void add(long[] serials) {
    batches.add(serials.clone());
  }

  /** {@return a copy, to branch an oracle} */
  Batches copy() {
    Batches copy = new Batches();
    copy.batches.addAll(batches);
    return copy;
  }

  /** Forgets every batch (a reset discarded them). */
  void clear() {
    batches.clear();
  }

  /** Forgets the batches none of whose appends may come back. */
  void dropIf(LongPredicate gone) {
    batches.removeIf(serials -> Arrays.stream(serials).allMatch(gone::test));
  }

  /**
   * A {@code truncateAfter(lsn)} is about to run: a batch placed across {@code lsn} becomes the
   * records up to it and the records after it, each all-or-nothing (the cut keeps the first part
   * whole; a crash during it leaves the rest whole or cut).
   *
   * @param lsnOf each placed append's LSN, by serial
   */
  void splitAt(long lsn, Map<Long, Long> lsnOf) {
    List<long[]> split = new ArrayList<>();
    for (long[] serials : batches) {
      // The front of a batch may have no LSN any more (truncateBefore cut it): place the batch by
      // the first of its records that has one.
      int placed = 0;
      while (placed < serials.length && !lsnOf.containsKey(serials[placed])) {
        placed++;
      }
      long cut = placed == serials.length ? 0 : lsn - (lsnOf.get(serials[placed]) - placed) + 1;
      if (cut <= 0 || cut >= serials.length) {
        split.add(serials);
      } else {
        split.add(Arrays.copyOfRange(serials, 0, (int) cut));
        split.add(Arrays.copyOfRange(serials, (int) cut, serials.length));
      }
    }
    batches.clear();
    batches.addAll(split);
  }

  /**
   * Checks that a recovered log holding LSNs {@code first} to {@code last} holds every batch whole
   * or not at all, adding a problem for each torn one.
   *
   * @param found each LSN's append serial, as read back
   */
  void check(long first, long last, Map<Long, Long> found, List<String> problems) {
    Map<Long, Long> lsnBySerial = new HashMap<>();
    found.forEach((lsn, serial) -> lsnBySerial.put(serial, lsn));
    for (long[] serials : batches) {
      int seen = 0;
      while (seen < serials.length && !lsnBySerial.containsKey(serials[seen])) {
        seen++;
      }
      if (seen == serials.length) {
        continue; // none of it: allowed for any batch not acknowledged, caught as lost otherwise
      }
      long base = lsnBySerial.get(serials[seen]) - seen;
      int present = 0;
      int missing = 0;
      for (int i = 0; i < serials.length; i++) {
        Long at = lsnBySerial.get(serials[i]);
        if (at != null && at != base + i) {
          problems.add("batch " + name(serials) + " is not at consecutive LSNs: append #"
              + serials[i] + " is at LSN " + at + " where " + (base + i) + " was due");
        }
        if (base + i >= first) {
          if (at == null) {
            missing++;
          } else {
            present++;
          }
        }
      }
      if (missing > 0) {
        problems.add("torn batch " + name(serials) + " at LSNs " + base + " to "
            + (base + serials.length - 1) + ": " + present + " of its records from LSN "
            + Math.max(first, base) + " on came back and " + missing + " did not (the log holds "
            + first + " to " + last + "); a batch comes back whole or not at all");
      }
    }
  }

  private static String name(long[] serials) {
    return "#" + serials[0] + "..#" + serials[serials.length - 1];
  }
}
