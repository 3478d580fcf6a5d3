package dev.wal.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: encoding one record into a buffer and checksumming it, as the log does under its append
 * lock, beside CRC32C alone over the same bytes (the floor).
 *
 * <p>Design note: it lives in the engine's package, in wal-bench, to reach the package-private
 * {@link RecordEncoder} as a test would; the benchmark jar runs on the class path, where a package
 * may span two jars. It must follow the encoder when the encoder changes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordEncodingBench {
  /** The payload size in bytes. */
  @Param({"128", "4096"})
  public int payloadBytes;

  private final RecordEncoder encoder = new RecordEncoder();
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer;
  private byte[] payload;
  private long lsn = 1;

  /** Creates the benchmark; JMH calls it. */
  public RecordEncodingBench() {}

  /** Makes the payload and the buffer. */
  @Setup
  public void prepare() {
    payload = new byte[payloadBytes];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < payloadBytes; i++) {
      payload[i] = (byte) random.nextInt(256);
    }
    buffer = ByteBuffer.allocateDirect(WalFormat.RECORD_HEADER_BYTES + payloadBytes + 8).order(ByteOrder.LITTLE_ENDIAN);
    encoder.salt(0x5EED5EEDL);
  }

  /**
   * Writes a record's header and payload and seals it with its checksum.
   *
   * @return the index past the record
   */
  @Benchmark
  public int encodeAndChecksum() {
    long recordLsn = lsn++;
    RecordEncoder.putHeader(buffer, 0, payloadBytes, recordLsn, 7, recordLsn - 1);
    buffer.put(WalFormat.RECORD_HEADER_BYTES, payload);
    return encoder.seal(buffer, 0, payloadBytes);
  }

  /**
   * Checksums the same bytes and nothing else.
   *
   * @return the checksum
   */
  @Benchmark
  public long crc32cOnly() {
    crc.reset();
    buffer.clear().limit(WalFormat.RECORD_HEADER_BYTES + payloadBytes);
    crc.update(buffer);
    buffer.clear();
    return crc.getValue();
  }
}
