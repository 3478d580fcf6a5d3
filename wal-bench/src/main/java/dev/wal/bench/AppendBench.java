package dev.wal.bench;

import dev.wal.LogEntry;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one thread appending without waiting, with each kind of payload, into a log whose storage
 * throws the bytes away ({@link DiscardingVfs}), so that what is measured is the log's append
 * path: size check, LSN, encoding, checksum, the copy into the buffer and the hand-off of full
 * buffers. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per
 * append, which should be zero.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendBench {
  /** The payload size in bytes. */
  @Param({"128"})
  public int payloadBytes;

  private DiscardingVfs vfs;
  private WriteAheadLog log;
  private byte[] array;
  private ByteBuffer buffer;
  private LogEntry entry;

  /** Creates the benchmark; JMH calls it. */
  public AppendBench() {}

  /**
   * Opens the log.
   *
   * @throws IOException if it cannot be opened
   */
  @Setup
  public void open() throws IOException {
    vfs = new DiscardingVfs();
    log = WriteAheadLog.open(vfs, WalConfig.defaults());
    buffer = Payloads.random(payloadBytes, 3);
    array = buffer.array().clone();
    entry = LogEntry.of(buffer);
  }

  /**
   * Closes the log.
   *
   * @throws IOException if closing fails
   */
  @TearDown
  public void close() throws IOException {
    log.close();
    vfs.close();
  }

  /**
   * Appends a heap buffer's bytes.
   *
   * @return the LSN
   * @throws IOException if the log fails
   */
  @Benchmark
  public long appendNoWaitByteBuffer() throws IOException {
    return log.appendNoWait(buffer, 7);
  }

  /**
   * Appends an array.
   *
   * @return the LSN
   * @throws IOException if the log fails
   */
  @Benchmark
  public long appendNoWaitByteArray() throws IOException {
    return log.appendNoWait(array, 7);
  }

  /**
   * Appends a typed entry that writes itself into the log's buffer.
   *
   * @return the LSN
   * @throws IOException if the log fails
   */
  @Benchmark
  public long appendNoWaitLogEntry() throws IOException {
    return log.appendNoWait(entry, 7);
  }
}
