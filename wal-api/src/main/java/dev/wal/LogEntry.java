package dev.wal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A record payload that writes itself straight into the log's buffer.
 *
 * <p>The log asks for {@link #size()}, reserves exactly that many bytes and calls {@link
 * #writeTo(ByteBuffer)} once, so a typed entry appends without allocating. Implementations must
 * return the same size every time and write exactly that many bytes; the log checks both and
 * refuses the record (throwing {@link IllegalStateException}) when they disagree.
 *
 * <p>Byte arrays and buffers are wrapped with {@link #of(byte[])} and {@link #of(ByteBuffer)}.
 */
public interface LogEntry {
  /** {@return the number of payload bytes this entry writes; zero is allowed} */
  int size();

  /**
   * Writes exactly {@link #size()} bytes at {@code buffer}'s position and advances it by that much.
   * The buffer has at least {@code size()} bytes remaining; its byte order is unspecified, so an
   * entry that writes multi-byte values sets the order it wants (or writes bytes).
   *
   * @param buffer the log's buffer, positioned where the payload starts
   */
  void writeTo(ByteBuffer buffer);

  /**
   * Returns an entry whose payload is a copy-free view of {@code payload}; the array must not
   * change until the append returns.
   *
   * @param payload the bytes of the record
   * @return an entry writing those bytes
   */
  static LogEntry of(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    return new LogEntry() {
      @Override
      public int size() {
        return payload.length;
      }

      @Override
      public void writeTo(ByteBuffer buffer) {
        buffer.put(payload);
      }
    };
  }

  /**
   * Returns an entry whose payload is the remaining bytes of {@code payload}. The buffer's
   * position and limit are left as they were, and its content must not change until the append
   * returns.
   *
   * @param payload the bytes of the record, from position to limit
   * @return an entry writing those bytes
   */
  static LogEntry of(ByteBuffer payload) {
    Objects.requireNonNull(payload, "payload");
    return new LogEntry() {
      @Override
      public int size() {
        return payload.remaining();
      }

      @Override
      public void writeTo(ByteBuffer buffer) {
        buffer.put(payload.duplicate());
      }
    };
  }
}
