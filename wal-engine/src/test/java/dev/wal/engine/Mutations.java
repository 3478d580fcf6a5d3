package dev.wal.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Damages a valid log's files the ways a disk, a crash or a person does: bit flips, set bytes,
 * zeroed ranges, truncations, garbage, length and LSN fields set to huge values, header fields
 * changed, segments lost or duplicated, foreign files. Driven by a {@link Choices}: the fuzzer's
 * input or a seeded random source, so that one engine serves both.
 */
final class Mutations {
  private Mutations() {}

  /** Where the choices come from. Out of input, a source answers 0. */
  interface Choices {
    /** {@return a number in [0, bound)} */
    int pick(int bound);

    /** {@return any long} */
    long anyLong();

    /** {@return up to {@code max} bytes} */
    byte[] bytes(int max);

    /** {@return choices from a seeded random source} */
    static Choices random(SplittableRandom random) {
      return new Choices() {
        @Override
        public int pick(int bound) {
          return random.nextInt(bound);
        }

        @Override
        public long anyLong() {
          return random.nextLong();
        }

        @Override
        public byte[] bytes(int max) {
          byte[] bytes = new byte[random.nextInt(max + 1)];
          random.nextBytes(bytes);
          return bytes;
        }
      };
    }
  }

  static final int[] HUGE_INTS = {
    Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, (1 << 30) + 1, 0x7FFF_FFE0, 0x3FFF_FFFF,
    8192, 4096,
  };
  static final long[] HUGE_LONGS = {Long.MAX_VALUE, Long.MIN_VALUE, -1, 1L << 62, 1L << 31, 0};

  /** The operations, by name, for messages. */
  static final String[] OPERATIONS = {
    "flip a bit", "set a byte", "zero a range", "truncate", "write garbage", "huge length field",
    "huge LSN field", "huge durable-LSN field", "change a header field", "append bytes",
    "grow sparse", "delete a segment", "copy a segment under another name", "add a foreign file",
    "reseal checksums",
  };

  /**
   * Applies up to {@code maxMutations} mutations to a copy of {@code files}.
   *
   * @param withReseal whether "reseal checksums" may be chosen
   * @param applied receives one line per mutation, for messages
   * @return the damaged files, and in {@code sizes} the sizes of files grown sparse
   */
  static Map<String, byte[]> apply(Map<String, byte[]> files, Choices choices, int maxMutations,
      boolean withReseal, Map<String, Long> sizes, List<String> applied) {
    Map<String, byte[]> damaged = new TreeMap<>();
    files.forEach((name, bytes) -> damaged.put(name, bytes.clone()));
    int count = 1 + choices.pick(maxMutations);
    int operations = OPERATIONS.length - (withReseal ? 0 : 1);
    for (int i = 0; i < count && !damaged.isEmpty(); i++) {
      List<String> names = new ArrayList<>(damaged.keySet());
      String name = names.get(choices.pick(names.size()));
      int operation = choices.pick(operations);
      String what = mutate(damaged, name, operation, choices, sizes);
      applied.add(OPERATIONS[operation] + " in " + name + ": " + what);
    }
    return damaged;
  }

  private static String mutate(Map<String, byte[]> files, String name, int operation,
      Choices choices, Map<String, Long> sizes) {
    byte[] bytes = files.get(name);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = bytes.length == 0 ? 0 : choices.pick(bytes.length);
    switch (operation) {
      case 0 -> {
        if (bytes.length == 0) {
          return "empty";
        }
        int bit = choices.pick(8);
        bytes[at] ^= (byte) (1 << bit);
        return "bit " + bit + " at " + at;
      }
      case 1 -> {
        if (bytes.length == 0) {
          return "empty";
        }
        bytes[at] = (byte) choices.pick(256);
        return "at " + at + " to " + bytes[at];
      }
      case 2 -> {
        int end = (int) Math.min(bytes.length, at + 1L + choices.pick(4096));
        Arrays.fill(bytes, at, end, (byte) 0);
        return "[" + at + ", " + end + ")";
      }
      case 3 -> {
        files.put(name, Arrays.copyOf(bytes, at));
        sizes.remove(name);
        return "to " + at;
      }
      case 4 -> {
        byte[] garbage = choices.bytes(512);
        int length = Math.min(garbage.length, bytes.length - at);
        System.arraycopy(garbage, 0, bytes, at, length);
        return length + " bytes at " + at;
      }
      case 5, 6, 7 -> {
        return hugeField(bytes, buffer, operation, choices);
      }
      case 8 -> {
        return headerField(bytes, buffer, choices);
      }
      case 9 -> {
        byte[] more = choices.bytes(4096);
        byte[] grown = Arrays.copyOf(bytes, bytes.length + more.length);
        System.arraycopy(more, 0, grown, bytes.length, more.length);
        files.put(name, grown);
        return more.length + " bytes";
      }
      case 10 -> {
        long size = bytes.length + 1L + choices.pick(1 << 20);
        sizes.put(name, size);
        return "to " + size + " bytes";
      }
      case 11 -> {
        files.remove(name);
        sizes.remove(name);
        return "deleted";
      }
      case 12 -> {
        long lsn = 1 + choices.pick(64);
        files.put(SegmentNames.segmentName(lsn), bytes.clone());
        return "as LSN " + lsn;
      }
      case 13 -> {
        String[] foreign = {"notes.txt", "0000000000000000001.wal", "00000000000000000000.wal",
            "00000000000000000001.WAL", "00000000000000000001.wal.bak", SegmentNames.SPARE};
        String foreignName = foreign[choices.pick(foreign.length)];
        files.put(foreignName, choices.bytes(256));
        return foreignName;
      }
      case 14 -> {
        LogImages.reseal(bytes);
        return "resealed";
      }
      default -> throw new IllegalArgumentException("operation " + operation);
    }
  }

  private static String hugeField(byte[] bytes, ByteBuffer buffer, int operation,
      Choices choices) {
    List<Integer> starts = LogImages.recordStarts(bytes);
    if (starts.isEmpty()) {
      return "no record";
    }
    int start = starts.get(choices.pick(starts.size()));
    if (operation == 5) {
      int[] values = HUGE_INTS.clone();
      values[values.length - 1] = bytes.length - start - WalFormat.RECORD_HEADER_BYTES + 1;
      int value = values[choices.pick(values.length)];
      buffer.putInt(start + WalFormat.RECORD_LENGTH_OFFSET, value);
      return "length of the record at " + start + " to " + value;
    }
    int field = operation == 6 ? WalFormat.RECORD_LSN_OFFSET : WalFormat.RECORD_DURABLE_LSN_OFFSET;
    long value = HUGE_LONGS[choices.pick(HUGE_LONGS.length)];
    buffer.putLong(start + field, value);
    return "field " + field + " of the record at " + start + " to " + value;
  }

  private static String headerField(byte[] bytes, ByteBuffer buffer, Choices choices) {
    if (bytes.length < WalFormat.SEGMENT_HEADER_BYTES) {
      return "no header";
    }
    switch (choices.pick(4)) {
      case 0 -> {
        int version = choices.pick(4);
        buffer.putInt(WalFormat.HEADER_VERSION_OFFSET, version);
        return "version " + version;
      }
      case 1 -> {
        int[] sizes = {0, 32, 64, 100, 512, 4096, 8192, Integer.MIN_VALUE};
        int blockBytes = sizes[choices.pick(sizes.length)];
        buffer.putInt(WalFormat.HEADER_BLOCK_BYTES_OFFSET, blockBytes);
        return "block size " + blockBytes;
      }
      case 2 -> {
        long lsn = HUGE_LONGS[choices.pick(HUGE_LONGS.length)];
        buffer.putLong(WalFormat.HEADER_FIRST_LSN_OFFSET, lsn);
        return "first LSN " + lsn;
      }
      default -> {
        long magic = choices.anyLong();
        buffer.putLong(WalFormat.HEADER_MAGIC_OFFSET, magic);
        return "magic " + magic;
      }
    }
  }
}
