package dev.wal.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Allocates the log's buffers: direct, aligned to 4096 bytes, little-endian. */
final class Buffers {
  private Buffers() {}

  static final int ALIGNMENT = 4096;

  /**
   * {@return a direct little-endian buffer of exactly {@code bytes} capacity at a 4096 boundary}
   */
  static ByteBuffer allocateAligned(int bytes) {
    // alignedSlice rounds the capacity down to a multiple of the alignment: round up first.
    int rounded = Layout.alignUp(bytes, ALIGNMENT);
    ByteBuffer aligned = ByteBuffer.allocateDirect(rounded + ALIGNMENT).alignedSlice(ALIGNMENT);
    return aligned.limit(bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
  }
}
