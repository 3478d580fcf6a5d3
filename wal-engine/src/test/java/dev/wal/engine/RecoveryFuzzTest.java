package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Coverage-guided fuzz tests (Jazzer) of everything that reads what is on disk: the record
 * decoder, and recovery followed by the reader, on arbitrary segment files and on valid logs
 * damaged in arbitrary ways. The property is {@link RecoveryProperty}'s: a clean open, a torn-tail
 * repair, or a {@code CorruptLogException} naming a segment and an offset, never another exception,
 * unbounded work or memory beyond a small multiple of the files.
 *
 * <p>In the default build each test replays its stored inputs, the corpus and every crash ever
 * found, from {@code src/test/resources/dev/wal/engine/RecoveryFuzzTestInputs/<method>/}. To fuzz,
 * see {@code wal-engine/FUZZING.md}.
 */
class RecoveryFuzzTest {
  private static final int[] SECTOR_SIZES = {512, 4096};

  /** Where the segments' LSNs start: at 1, or at the top of the LSN space a log may use. */
  private static final long[] LSN_BASES = {0, SegmentNames.MAX_FIRST_LSN - 60};

  /** The system property that bounds the time of one input when fuzzing. */
  static final String INPUT_SECONDS = "wal.fuzz.inputSeconds";

  private static final ExecutorService WATCHDOG = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "fuzz input");
    thread.setDaemon(true);
    return thread;
  });

  /** The record decoder never throws and says VALID only of a record that is there whole. */
  @FuzzTest(maxDuration = "10m")
  void recordDecoder(FuzzedDataProvider data) {
    long salt = data.consumeLong();
    long maxLength = data.consumeBoolean() ? data.consumeLong() : data.consumeInt(0, 1 << 20);
    boolean direct = data.consumeBoolean();
    int atWanted = data.consumeInt(0, 8192);
    int availableWanted = data.consumeInt(0, 8192);
    boolean seal = data.consumeBoolean();
    // The bytes last: they take the rest of the input, after which every consume returns 0.
    byte[] bytes = data.consumeRemainingAsBytes();
    int at = (int) Layout.alignDown(Math.min(atWanted, bytes.length), WalFormat.RECORD_ALIGNMENT);
    int available = (int) Math.min(bytes.length, (long) at + availableWanted);
    if (seal) {
      sealAt(bytes, at, salt); // a right checksum, so that the checks behind it are reached
    }
    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(
        bytes.length);
    buffer.put(bytes).clear().limit(available);
    RecordDecoder decoder = new RecordDecoder();
    decoder.salt(salt);

    int status = decoder.decode(buffer, at, available, maxLength);

    assertThat(status).isBetween(RecordDecoder.VALID, RecordDecoder.INCOMPLETE);
    assertThat(buffer.position()).isZero();
    assertThat(buffer.limit()).isEqualTo(available);
    if (status == RecordDecoder.VALID) {
      assertThat((long) decoder.length).isBetween(0L, maxLength);
      assertThat((long) at + WalFormat.RECORD_HEADER_BYTES + decoder.length)
          .isLessThanOrEqualTo(available);
      assertThat(decoder.lsn).isNotNegative();
      assertThat(reencoded(bytes, at, decoder, salt)).isEqualTo(crcAt(bytes, at));
    }
  }

  /** Writes the checksum of the record at {@code at}, if its length field fits in the bytes. */
  private static void sealAt(byte[] bytes, int at, long salt) {
    if (bytes.length - at < WalFormat.RECORD_HEADER_BYTES) {
      return;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int length = RecordDecoder.lengthOf(buffer.getInt(at + WalFormat.RECORD_LENGTH_OFFSET));
    if (length <= bytes.length - at - WalFormat.RECORD_HEADER_BYTES) {
      byte[] saltBytes = new byte[WalFormat.SALT_BYTES];
      RecordEncoder.saltBytes(salt, saltBytes);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(saltBytes);
      crc.update(bytes, at + WalFormat.RECORD_LENGTH_OFFSET,
          WalFormat.RECORD_HEADER_BYTES - WalFormat.RECORD_LENGTH_OFFSET + length);
      buffer.putInt(at + WalFormat.RECORD_CRC_OFFSET, (int) crc.getValue());
    }
  }

  /** {@return the checksum the encoder gives the record the decoder found valid} */
  private static int reencoded(byte[] bytes, int at, RecordDecoder decoder, long salt) {
    int end = at + WalFormat.RECORD_HEADER_BYTES + decoder.length;
    ByteBuffer copy =
        ByteBuffer.allocate(Layout.alignUp(end, 8) + 8).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(ByteBuffer.wrap(bytes, 0, end)).clear();
    RecordEncoder encoder = new RecordEncoder();
    encoder.salt(salt);
    RecordEncoder.putHeader(copy, at, decoder.length, decoder.lsn, decoder.tag, decoder.durableLsn);
    if (decoder.continued) {
      RecordEncoder.markContinued(copy, at);
    }
    encoder.seal(copy, at, decoder.length);
    return crcAt(copy.array(), at);
  }

  private static int crcAt(byte[] bytes, int at) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
  }

  /**
   * Recovery and the reader on one to three segment files of arbitrary bytes, whose headers the
   * test may make valid and whose records it may reseal, so that the fuzzer reaches the checks
   * behind the checksums.
   */
  @FuzzTest(maxDuration = "10m")
  void arbitrarySegments(FuzzedDataProvider data) throws IOException {
    int sectorSize = SECTOR_SIZES[data.consumeInt(0, 1)];
    int segments = data.consumeInt(1, 3);
    boolean validHeaders = data.consumeBoolean();
    boolean reseal = data.consumeBoolean();
    Map<String, byte[]> files = new TreeMap<>();
    long firstLsn = LSN_BASES[data.consumeInt(0, LSN_BASES.length - 1)];
    for (int i = 0; i < segments; i++) {
      firstLsn += data.consumeInt(1, 40);
      int blockBytes = WalFormat.MIN_BLOCK_BYTES << data.consumeInt(0, 6);
      int length = i == segments - 1 ? Integer.MAX_VALUE : data.consumeInt(0, 8192);
      byte[] bytes = data.consumeBytes(length);
      if (validHeaders) {
        bytes = withHeader(bytes, firstLsn, blockBytes);
      }
      if (reseal) {
        LogImages.reseal(bytes);
      }
      files.put(SegmentNames.segmentName(firstLsn), bytes);
    }
    String context = "arbitrary segments " + files.keySet() + " with " + sectorSize
        + "-byte sectors";
    bounded(() -> RecoveryProperty.check(
        files, Map.of(), sectorSize, LogImages.config(true), null, context));
  }

  private static byte[] withHeader(byte[] bytes, long firstLsn, int blockBytes) {
    byte[] padded = bytes.length >= WalFormat.SEGMENT_HEADER_BYTES
        ? bytes : java.util.Arrays.copyOf(bytes, WalFormat.SEGMENT_HEADER_BYTES);
    ByteBuffer header = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(WalFormat.HEADER_MAGIC_OFFSET, WalFormat.SEGMENT_MAGIC);
    header.putInt(WalFormat.HEADER_VERSION_OFFSET, WalFormat.FORMAT_VERSION);
    header.putInt(WalFormat.HEADER_BLOCK_BYTES_OFFSET, blockBytes);
    header.putLong(WalFormat.HEADER_FIRST_LSN_OFFSET, firstLsn);
    return padded;
  }

  /** Recovery and the reader on a valid log (one of {@link LogImages}) damaged in many ways. */
  @FuzzTest(maxDuration = "10m")
  void damagedLog(FuzzedDataProvider data) throws IOException {
    LogImages.Image image = LogImages.shape(data.consumeInt(0, LogImages.FUZZED_SHAPES - 1));
    Map<String, Long> sizes = new HashMap<>();
    List<String> applied = new ArrayList<>();
    Map<String, byte[]> damaged =
        Mutations.apply(image.files(), choices(data), 8, true, sizes, applied);
    bounded(() -> RecoveryProperty.check(damaged, sizes, image.sectorSize(), image.config(), null,
        "shape '" + image.shape() + "' after " + applied));
  }

  /**
   * Runs one input's check, within {@value #INPUT_SECONDS} seconds if that system property is set
   * (the fuzzing command sets it: an input that takes longer is a hang, a finding); without it,
   * as in the default build, with no time limit.
   */
  private static void bounded(Callable<?> check) throws IOException {
    String seconds = System.getProperty(INPUT_SECONDS, "").strip();
    if (seconds.isEmpty()) {
      call(check);
      return;
    }
    Future<?> future = WATCHDOG.submit(check);
    try {
      future.get(Long.parseLong(seconds), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AssertionError("one input took more than " + seconds + " s: a hang", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      rethrow(e.getCause());
    }
  }

  private static void call(Callable<?> check) throws IOException {
    try {
      check.call();
    } catch (Exception e) {
      rethrow(e);
    }
  }

  private static void rethrow(Throwable failure) throws IOException {
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new AssertionError(failure);
  }

  /**
   * Recovery and the reader on a valid log with a meta file (the logical first LSN and a reset
   * under way) whose fields are arbitrary, under a right checksum or not, or whose bytes are.
   */
  @FuzzTest(maxDuration = "10m")
  void metaFile(FuzzedDataProvider data) throws IOException {
    LogImages.Image image = LogImages.shape(data.consumeInt(0, LogImages.FUZZED_SHAPES - 1));
    Map<String, byte[]> files = new TreeMap<>(image.files());
    boolean raw = data.consumeBoolean();
    if (raw) {
      files.put(SegmentNames.META, data.consumeBytes(2 * WalFormat.META_BYTES));
    } else {
      long magic = data.consumeBoolean() ? WalFormat.META_MAGIC : data.consumeLong();
      int version = data.consumeBoolean() ? WalFormat.FORMAT_VERSION : data.consumeInt();
      long first = metaLsn(data);
      long reset = data.consumeBoolean() ? 0 : metaLsn(data);
      files.put(SegmentNames.META,
          LogImages.meta(magic, version, first, reset, data.consumeBoolean()));
    }
    if (data.consumeBoolean()) {
      files.put(SegmentNames.META_TMP, data.consumeRemainingAsBytes()); // a rename's leftover
    }
    bounded(() -> RecoveryProperty.check(files, Map.of(), image.sectorSize(), image.config(),
        image.payloads(), "shape '" + image.shape() + "' with meta " + (raw ? "bytes" : "fields")));
  }

  /** {@return an LSN for a meta field: near the log's, at the edges, or any} */
  private static long metaLsn(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 2)) {
      case 0 -> data.consumeLong(-2, 40);
      case 1 -> Mutations.HUGE_LONGS[data.consumeInt(0, Mutations.HUGE_LONGS.length - 1)]
          + data.consumeLong(-2, 2);
      default -> data.consumeLong();
    };
  }

  private static Mutations.Choices choices(FuzzedDataProvider data) {
    return new Mutations.Choices() {
      @Override
      public int pick(int bound) {
        return data.consumeInt(0, bound - 1);
      }

      @Override
      public long anyLong() {
        return data.consumeLong();
      }

      @Override
      public byte[] bytes(int max) {
        return data.consumeBytes(max);
      }
    };
  }
}
