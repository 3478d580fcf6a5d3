package dev.wal.bench;

import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsSpec;
import dev.wal.vfs.memory.MemoryVfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: reading records back with a {@link LogReader}, from a log on the memory backend, so that
 * no disk is involved. Each invocation reads {@value #RECORDS} records from the first; the score
 * is per record. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per
 * record read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadBench {
  /** Records read per invocation. */
  public static final int RECORDS = 50_000;

  private static final String STORAGE = "wal-bench-read";

  /** The payload size in bytes. */
  @Param({"128", "4096"})
  public int payloadBytes;

  private Vfs vfs;
  private WriteAheadLog log;

  /** Creates the benchmark; JMH calls it. */
  public ReadBench() {}

  /**
   * Writes the records.
   *
   * @throws IOException if writing fails
   */
  @Setup
  public void write() throws IOException {
    vfs = Vfs.open(VfsSpec.of("memory", STORAGE, Map.of()));
    log = WriteAheadLog.open(vfs, WalConfig.defaults());
    ByteBuffer payload = Payloads.random(payloadBytes, 4);
    for (int i = 0; i < RECORDS; i++) {
      log.appendNoWait(payload, i);
    }
    log.flush();
  }

  /**
   * Drops the storage.
   *
   * @throws IOException if closing fails
   */
  @TearDown
  public void drop() throws IOException {
    log.close();
    vfs.close();
    MemoryVfs.drop(STORAGE);
  }

  /**
   * Reads every record, touching its LSN, tag and payload length.
   *
   * @return a sum of the fields read, so that nothing is optimised away
   * @throws IOException if reading fails
   */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long readAll() throws IOException {
    long sum = 0;
    try (LogReader reader = log.reader(log.firstLsn())) {
      for (LogRecord record = reader.next(); record != null; record = reader.next()) {
        sum += record.lsn() + record.tag() + record.payload().remaining();
      }
    }
    return sum;
  }
}
