package dev.wal.bench;

import com.google.common.io.Closer;
import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsSpec;
import dev.wal.vfs.memory.MemoryVfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log, with its default configuration, on the local backend (in the cell's directory, on the
 * disk under test) or on the memory backend (a fresh named storage, dropped afterwards).
 * Recovery closes the log and its {@code Vfs}, opens both again as a restarting process would,
 * and reads every record with a {@link LogReader}.
 *
 * <p>The steady workload runs a {@link Checkpointer} from opening to closing that keeps an eighth
 * of a segment's worth of records ({@link #steadyKeepRecords}), so that the log holds an eighth
 * to a quarter of a segment below its durable LSN. Design note: the log starts preparing its next
 * spare segment when the active one is half full, so a segment must be dropped before its
 * successor is half full to be there for the spare; keeping a whole segment would drop each one
 * just as the one after next starts, always a little late.
 */
final class LogContender implements Contender {
  private static final AtomicLong MEMORY_STORAGES = new AtomicLong();
  private static final WalConfig CONFIG = WalConfig.defaults();

  /** A steady-state truncation keeps this fraction of a segment's records: 1/8. */
  private static final int KEEP_PER_SEGMENT = 8;

  /** How often the steady workload's checkpointer looks at the log. */
  private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final String backend;

  private LogContender(String backend) {
    this.backend = backend;
  }

  /** {@return the log on the local backend} */
  static LogContender local() {
    return new LogContender("local");
  }

  /** {@return the log on the memory backend} */
  static LogContender memory() {
    return new LogContender("memory");
  }

  @Override
  public String name() {
    return "log-" + backend;
  }

  @Override
  public String description() {
    return "the log on the " + backend + " backend, " + CONFIG
        + "; steady: a checkpointer (looking every "
        + TimeUnit.NANOSECONDS.toMillis(CHECKPOINT_INTERVAL_NANOS)
        + " ms) truncates it to keep 1/" + KEEP_PER_SEGMENT + " to 2/" + KEEP_PER_SEGMENT
        + " of a segment's records below the durable LSN";
  }

  @Override
  public boolean runs(Workload workload) {
    return true;
  }

  @Override
  public Store create(Workload workload, Path dir, int threads, int recordBytes)
      throws IOException {
    VfsSpec spec =
        backend.equals("local")
            ? VfsSpec.of("local", dir.toAbsolutePath().toString(), Map.of())
            : VfsSpec.of("memory", "wal-bench-" + MEMORY_STORAGES.incrementAndGet(), Map.of());
    return new LogStore(spec, workload == Workload.STEADY ? steadyKeepRecords(recordBytes) : 0);
  }

  /**
   * Returns how many durable records the steady workload's truncations keep: an eighth of what a
   * segment would hold if records had no header (a little more than an eighth of what it holds).
   *
   * @param recordBytes the payload size
   * @return the record count, at least 1
   */
  static long steadyKeepRecords(int recordBytes) {
    return Math.max(1, CONFIG.segmentBytes() / recordBytes / KEEP_PER_SEGMENT);
  }

  /**
   * Thread-safe, as the log is. With a checkpointer (steady workload), {@link #reopen()} is not
   * called.
   */
  private static final class LogStore implements Store {
    private final VfsSpec spec;
    private Vfs vfs;
    private WriteAheadLog log;
    private Checkpointer checkpointer;

    /** Opens the log, and starts a checkpointer if {@code keepRecords} is positive. */
    LogStore(VfsSpec spec, long keepRecords) throws IOException {
      this.spec = spec;
      open();
      if (keepRecords > 0) {
        checkpointer =
            Checkpointer.start(Checkpointer.of(log), keepRecords, CHECKPOINT_INTERVAL_NANOS);
      }
    }

    private void open() throws IOException {
      vfs = Vfs.open(spec);
      boolean success = false;
      try {
        log = WriteAheadLog.open(vfs, CONFIG);
        success = true;
      } finally {
        if (!success) {
          vfs.close();
        }
      }
    }

    @Override
    public String note() {
      if (checkpointer == null) {
        return "";
      }
      long truncations = checkpointer.truncations();
      return String.format(
          "truncations: %,d, each keeping %,d records, %.1f ms on average, at most %.1f ms;"
              + " first LSN %,d of %,d",
          truncations,
          checkpointer.keepRecords(),
          truncations == 0 ? 0 : checkpointer.truncatingNanos() / 1e6 / truncations,
          checkpointer.longestTruncationNanos() / 1e6,
          log.firstLsn(),
          log.lastLsn());
    }

    @Override
    public void append(ByteBuffer record) throws IOException {
      log.append(record, 0);
    }

    @Override
    public void appendNoWait(ByteBuffer record) throws IOException {
      log.appendNoWait(record, 0);
    }

    @Override
    public void flush() throws IOException {
      log.flush();
    }

    @Override
    public Scan reopen() throws IOException {
      closeLogAndVfs();
      open();
      LogReader reader = log.reader(log.firstLsn());
      return new Scan() {
        @Override
        public int next() throws IOException {
          LogRecord record = reader.next();
          return record == null ? -1 : record.payload().remaining();
        }

        @Override
        public void close() throws IOException {
          reader.close();
        }
      };
    }

    private void closeLogAndVfs() throws IOException {
      Closer closer = Closer.create(); // the log, then its storage; a second failure suppressed
      closer.register(vfs);
      closer.register(log);
      closer.close();
    }

    @Override
    public void close() throws IOException {
      // Closed in the reverse order of registering, the first failure thrown, the others suppressed.
      Closer closer = Closer.create();
      if (spec.name().equals("memory")) {
        closer.register(() -> MemoryVfs.drop(spec.location()));
      }
      closer.register(this::closeLogAndVfs);
      if (checkpointer != null) {
        closer.register(checkpointer); // first: it uses the log
      }
      closer.close();
    }
  }
}
