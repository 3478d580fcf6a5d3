package dev.wal.jraft;

/**
 * The encoded payloads of the newest entries, kept in memory after their append so that reading
 * them back costs no I/O. SOFAJRaft asks for an entry right after appending it (at one task in
 * flight, about two reads a commit in a three-member cluster), where RocksDB answers from its
 * memtable; a read of our log's newest record costs a read of the file.
 *
 * <p>Holds consecutive indexes up to the last appended, at most {@link #MAX_ENTRIES} of them and
 * at most {@link #MAX_BYTES} of payload (an entry larger than that is not kept). The arrays are
 * the ones the log was given; nothing changes them, and a reader gets a copy.
 *
 * <p>Thread-safe: one thread changes it at a time (the storage's mutators), while many read.
 */
final class RecentEntries {
  static final int MAX_ENTRIES = 4096;
  static final long MAX_BYTES = 4L << 20;

  private final byte[][] ring = new byte[MAX_ENTRIES][];
  /** The first and last index held; empty when {@code first > last}. Guarded by this. */
  private long first = 1;
  private long last = 0;
  /** The payload bytes held. Guarded by this. */
  private long bytes;

  /**
   * Keeps the payloads of the entries from {@code firstIndex} on, which the log has just made
   * durable; forgets what is not consecutive with them.
   */
  synchronized void appended(long firstIndex, byte[][] payloads) {
    if (firstIndex != last + 1) {
      restartAt(firstIndex);
    }
    for (byte[] payload : payloads) {
      if (payload.length > MAX_BYTES) {
        restartAt(last + 2); // too large to keep: keep the ones after it
        continue;
      }
      if (last - first + 1 == MAX_ENTRIES) {
        dropFirst(); // before its slot is taken
      }
      last++;
      ring[slot(last)] = payload;
      bytes += payload.length;
      while (bytes > MAX_BYTES) {
        dropFirst();
      }
    }
  }

  /** {@return the payload of the entry at {@code index}, or null if it is not held} */
  synchronized byte[] get(long index) {
    return index >= first && index <= last ? ring[slot(index)] : null;
  }

  /** Forgets the entries after {@code lastIndexKept}. */
  synchronized void truncateAfter(long lastIndexKept) {
    while (last > lastIndexKept && last >= first) {
      bytes -= ring[slot(last)].length;
      ring[slot(last)] = null;
      last--;
    }
  }

  /** Forgets the entries before {@code firstIndexKept}. */
  synchronized void truncateBefore(long firstIndexKept) {
    while (first < firstIndexKept && first <= last) {
      dropFirst();
    }
  }

  /** Forgets every entry. */
  synchronized void clear() {
    while (first <= last) {
      dropFirst();
    }
  }

  /** Forgets every entry; the next one kept will be {@code next}. */
  private void restartAt(long next) {
    clear();
    first = next;
    last = next - 1;
  }

  private void dropFirst() {
    int slot = slot(first);
    bytes -= ring[slot].length;
    ring[slot] = null;
    first++;
  }

  private static int slot(long index) {
    return (int) Math.floorMod(index, (long) MAX_ENTRIES);
  }
}
