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
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log, with its default configuration, on the local backend (in the cell's directory, on the
 * disk under test) or on the memory backend (a fresh named storage, dropped afterwards).
 * Recovery closes the log and its {@code Vfs}, opens both again as a restarting process would,
 * and reads every record with a {@link LogReader}.
 */
final class LogContender implements Contender {
  private static final AtomicLong MEMORY_STORAGES = new AtomicLong();

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
    return "the log on the " + backend + " backend, " + WalConfig.defaults();
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
    return new LogStore(spec);
  }

  /** Thread-safe, as the log is. */
  private static final class LogStore implements Store {
    private final VfsSpec spec;
    private Vfs vfs;
    private WriteAheadLog log;

    LogStore(VfsSpec spec) throws IOException {
      this.spec = spec;
      open();
    }

    private void open() throws IOException {
      vfs = Vfs.open(spec);
      boolean success = false;
      try {
        log = WriteAheadLog.open(vfs, WalConfig.defaults());
        success = true;
      } finally {
        if (!success) {
          vfs.close();
        }
      }
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
      try {
        log.close();
      } finally {
        vfs.close();
      }
    }

    @Override
    public void close() throws IOException {
      try {
        closeLogAndVfs();
      } finally {
        if (spec.name().equals("memory")) {
          MemoryVfs.drop(spec.location());
        }
      }
    }
  }
}
