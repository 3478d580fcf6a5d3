package dev.wal.engine.crash;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The payloads the crash suite appends: each says which append it came from, so that a record
 * returned at the wrong LSN, a stale one from before a truncation or one never appended is told
 * apart from the right one.
 *
 * <pre>
 *   0  long  serial   the append's number, unique in one oracle (from 1)
 *   8  long  tag      the tag the record was appended with: {@link #tagOf(long)}
 *  16  int   length   the payload's own length
 *  20  ...   filler   bytes derived from the serial
 * -8   long  hash     a hash of every byte before it
 * </pre>
 *
 * <p>Instances are immutable.
 */
final class CrashPayload {
  static final int MIN_BYTES = 28;

  private CrashPayload() {}

  /** {@return the tag an append of {@code serial} carries} */
  static long tagOf(long serial) {
    return mix(serial ^ 0x7A67L);
  }

  /** {@return the payload of append {@code serial}, {@code size} bytes (at least 28)} */
  static byte[] encode(long serial, int size) {
    if (size < MIN_BYTES) {
      throw new IllegalArgumentException("size (" + size + ") must be at least " + MIN_BYTES);
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(serial).putLong(tagOf(serial)).putInt(size);
    long x = mix(serial);
    while (buffer.position() < size - 8) {
      x = mix(x);
      buffer.put((byte) x);
    }
    buffer.putLong(hash(buffer.array(), size - 8));
    return buffer.array();
  }

  /**
   * Reads the serial of a payload and checks that the payload is exactly what {@link #encode}
   * made for it and that the record carried the right tag.
   *
   * @return the serial
   * @throws IllegalArgumentException saying what is wrong
   */
  static long decode(byte[] payload, long tag) {
    if (payload.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "a payload of " + payload.length + " bytes, shorter than any appended");
    }
    ByteBuffer buffer = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    long serial = buffer.getLong(0);
    if (buffer.getInt(16) != payload.length || serial < 1) {
      throw new IllegalArgumentException("a payload whose length field (" + buffer.getInt(16)
          + ") or serial (" + serial + ") does not match its " + payload.length + " bytes");
    }
    if (!Arrays.equals(payload, encode(serial, payload.length))) {
      throw new IllegalArgumentException(
          "a payload claiming to be append #" + serial + " whose bytes differ from it");
    }
    if (tag != tagOf(serial)) {
      throw new IllegalArgumentException(
          "append #" + serial + " returned with tag " + tag + " instead of " + tagOf(serial));
    }
    return serial;
  }

  private static long hash(byte[] bytes, int length) {
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < length; i++) {
      h = (h ^ bytes[i]) * 0x100000001B3L;
    }
    return mix(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
