package dev.wal.jraft;

import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The term of every entry of the log, as the index at which each term starts: a few map entries
 * per leader change, so {@code getTerm} never reads the log.
 *
 * <p>Thread safety: one thread changes it at a time (the storage's mutators, serialized); readers
 * may look up any index the storage has published while an append adds a later term, because a
 * term's start is added before the storage publishes the entries that carry it.
 */
final class TermIndex {
  private final ConcurrentNavigableMap<Long, Long> termStarts = new ConcurrentSkipListMap<>();

  /** Records that the entry at {@code index}, after every indexed one, has {@code term}. */
  void append(long index, long term) {
    Map.Entry<Long, Long> last = termStarts.lastEntry();
    if (last == null || last.getValue() != term) {
      termStarts.put(index, term);
    }
  }

  /**
   * {@return the term of the entry at {@code index}, 0 below the first indexed one} The caller
   * checks that {@code index} is in the log: past the last entry this answers the last term.
   */
  long term(long index) {
    Map.Entry<Long, Long> start = termStarts.floorEntry(index);
    return start == null ? 0 : start.getValue();
  }

  /** Forgets the entries after {@code lastIndexKept}. */
  void truncateAfter(long lastIndexKept) {
    termStarts.tailMap(lastIndexKept, false).clear();
  }

  /** Forgets the entries before {@code firstIndexKept}. */
  void truncateBefore(long firstIndexKept) {
    Map.Entry<Long, Long> start = termStarts.floorEntry(firstIndexKept);
    if (start != null && start.getKey() < firstIndexKept) {
      termStarts.put(firstIndexKept, start.getValue());
    }
    termStarts.headMap(firstIndexKept, false).clear();
  }

  /** Forgets every entry. */
  void clear() {
    termStarts.clear();
  }
}
