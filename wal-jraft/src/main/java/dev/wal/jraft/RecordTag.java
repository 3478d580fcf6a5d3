package dev.wal.jraft;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;

/**
 * The layout of the 64-bit tag each Raft entry's record carries, so that terms and configuration
 * entries are known without decoding payloads. No behaviour beyond packing and unpacking.
 *
 * <pre>
 *  63                                                      8 7        0
 * +---------------------------------------------------------+----------+
 * |                      term (56 bits)                     |   type   |
 * +---------------------------------------------------------+----------+
 * </pre>
 *
 * <p>{@code type} is the entry's {@link EntryType} number (0 unknown, 1 no-op, 2 data, 3
 * configuration). A term of 2<sup>56</sup> or more is refused: at one election a millisecond it
 * takes two million years to reach.
 */
final class RecordTag {
  private static final int TYPE_BITS = 8;
  private static final long TYPE_MASK = (1L << TYPE_BITS) - 1;
  /** The largest term a tag holds. */
  static final long MAX_TERM = (1L << (Long.SIZE - TYPE_BITS)) - 1;

  private RecordTag() {}

  /**
   * {@return the tag of an entry of {@code term} and {@code type}}
   *
   * @throws IllegalArgumentException if the term is negative or over {@link #MAX_TERM}
   */
  static long of(long term, EntryType type) {
    if (term < 0 || term > MAX_TERM) {
      throw new IllegalArgumentException("term " + term + " is outside 0.." + MAX_TERM);
    }
    return term << TYPE_BITS | type.getNumber();
  }

  /** {@return the term a tag carries} */
  static long term(long tag) {
    return tag >>> TYPE_BITS;
  }

  /** {@return whether a tag is a configuration entry's} */
  static boolean isConfiguration(long tag) {
    return (tag & TYPE_MASK) == EntryType.ENTRY_TYPE_CONFIGURATION_VALUE;
  }
}
