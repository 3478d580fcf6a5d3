package dev.wal.engine;

import dev.wal.LogEntry;
import dev.wal.RecordTooLargeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Checks the payloads an append is given, before group commit sees them: null, a negative size,
 * a size over {@link WalConfig#maxRecordBytes()}, a group's count that does not fit its arrays. A
 * refused append leaves the log unchanged.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class PayloadSizes {
  private final WalConfig config;

  PayloadSizes(WalConfig config) {
    this.config = config;
  }

  /** {@return the entries of a list as an array, once the tags are known to match them} */
  static LogEntry[] arrayOf(List<? extends LogEntry> entries, long[] tags) {
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(tags, "tags");
    if (tags.length != entries.size()) {
      throw new IllegalArgumentException(
          "tags.length (" + tags.length + ") differs from entries.size() (" + entries.size() + ")");
    }
    return entries.toArray(new LogEntry[0]);
  }

  /** {@return the sizes of {@code entries[0, count)}, each checked} */
  int[] checkedSizes(LogEntry[] entries, long[] tags, int count) {
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(tags, "tags");
    if (count < 0 || count > entries.length || count > tags.length) {
      throw new IllegalArgumentException(
          "count ("
              + count
              + ") must be in [0, min(entries.length "
              + entries.length
              + ", tags.length "
              + tags.length
              + ")]");
    }
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = checkedSize(entries[i]);
    }
    return sizes;
  }

  /** {@return the entry's size; {@link LogEntry#size()} is called once, here} */
  int checkedSize(LogEntry entry) {
    int size = Objects.requireNonNull(entry, "entry").size();
    if (size < 0) {
      throw new IllegalStateException("entry " + entry + " has a negative size() " + size);
    }
    return checkedSize(size);
  }

  /** {@return the array's length} */
  int checkedSize(byte[] payload) {
    return checkedSize(Objects.requireNonNull(payload, "payload").length);
  }

  /** {@return the buffer's remaining bytes} */
  int checkedSize(ByteBuffer payload) {
    return checkedSize(Objects.requireNonNull(payload, "payload").remaining());
  }

  private int checkedSize(int size) {
    if (size > config.maxRecordBytes()) {
      throw new RecordTooLargeException(size, config.maxRecordBytes());
    }
    return size;
  }
}
