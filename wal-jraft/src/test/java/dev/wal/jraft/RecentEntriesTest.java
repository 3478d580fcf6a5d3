package dev.wal.jraft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The newest entries' payloads are held within their bounds, and never one the log dropped. */
class RecentEntriesTest {
  private final RecentEntries recent = new RecentEntries();

  private static byte[][] payloads(long firstIndex, int count, int bytes) {
    byte[][] payloads = new byte[count][];
    for (int i = 0; i < count; i++) {
      payloads[i] = new byte[bytes];
      payloads[i][0] = (byte) (firstIndex + i);
    }
    return payloads;
  }

  @Test
  void holdsTheNewestEntriesUpToItsCount() {
    long last = 0;
    while (last < RecentEntries.MAX_ENTRIES + 100) {
      recent.appended(last + 1, payloads(last + 1, 50, 16));
      last += 50;
    }
    assertThat(recent.get(last)[0]).isEqualTo((byte) last);
    assertThat(recent.get(last - RecentEntries.MAX_ENTRIES + 1)).isNotNull();
    assertThat(recent.get(last - RecentEntries.MAX_ENTRIES)).isNull();
    assertThat(recent.get(last + 1)).isNull();
  }

  @Test
  void holdsNoMoreThanItsBytesAndSkipsAnEntryLargerThanThat() {
    int large = (int) (RecentEntries.MAX_BYTES / 4);
    recent.appended(1, payloads(1, 5, large));
    assertThat(recent.get(1)).isNull();
    assertThat(recent.get(2)).isNotNull();
    assertThat(recent.get(5)).isNotNull();

    recent.appended(6, new byte[][] {new byte[(int) RecentEntries.MAX_BYTES + 1]});
    recent.appended(7, payloads(7, 1, 16));
    assertThat(recent.get(5)).isNull(); // before the skipped entry: not consecutive with what follows
    assertThat(recent.get(6)).isNull();
    assertThat(recent.get(7)).isNotNull();
  }

  @Test
  void forgetsWhatTheLogCutOrDropped() {
    recent.appended(10, payloads(10, 10, 16));

    recent.truncateAfter(15);
    assertThat(recent.get(16)).isNull();
    assertThat(recent.get(15)).isNotNull();

    recent.truncateBefore(12);
    assertThat(recent.get(11)).isNull();
    assertThat(recent.get(12)).isNotNull();

    recent.appended(16, payloads(16, 1, 16)); // the append after the cut
    assertThat(recent.get(16)[0]).isEqualTo((byte) 16);

    recent.truncateAfter(5); // below everything held
    assertThat(recent.get(12)).isNull();
    recent.appended(6, payloads(6, 1, 16));
    assertThat(recent.get(6)).isNotNull();
    assertThat(recent.get(12)).isNull();
  }

  @Test
  void startsAgainWhereAnAppendIsNotConsecutive() {
    recent.appended(1, payloads(1, 3, 16));
    recent.appended(100, payloads(100, 2, 16)); // after a reset, say
    assertThat(recent.get(3)).isNull();
    assertThat(recent.get(100)).isNotNull();

    recent.clear();
    assertThat(recent.get(101)).isNull();
  }
}
