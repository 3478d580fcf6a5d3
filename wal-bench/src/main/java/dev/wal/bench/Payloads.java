package dev.wal.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Record payloads: random bytes, so that no layer can compress them away. */
final class Payloads {
  private Payloads() {}

  /**
   * Returns a heap buffer of random bytes.
   *
   * @param bytes the size
   * @param seed the seed; the same seed gives the same bytes
   * @return the buffer, positioned at 0 with its limit at {@code bytes}
   */
  static ByteBuffer random(int bytes, long seed) {
    byte[] payload = new byte[bytes];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < bytes; i++) {
      payload[i] = (byte) random.nextInt(256);
    }
    return ByteBuffer.wrap(payload);
  }
}
