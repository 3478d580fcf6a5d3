package dev.wal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB with its write-ahead log, as users would run it instead of a log: one {@code put} per
 * record, keyed by a counter, with {@code WriteOptions.setSync(true)} for durable appends (RocksDB
 * groups concurrent writers' syncs itself); the same in the steady workload, since RocksDB
 * deletes its own log files once their memtables are flushed. Buffered: {@code setSync(false)}
 * puts and one {@code flushWal(true)}. Recovery: reopen the database (replaying its log) and
 * iterate every key. The options are RocksDB's defaults.
 */
final class RocksDbContender implements Contender {
  @Override
  public String name() {
    return "rocksdb-sync";
  }

  @Override
  public String description() {
    return "RocksDB " + RocksDbVersion.VERSION + ", default options, one put per record,"
        + " WriteOptions.setSync(true); buffered: sync=false and one flushWal(true)";
  }

  @Override
  public boolean runs(Workload workload) {
    return true;
  }

  @Override
  public Store create(Workload workload, Path dir, int threads, int recordBytes)
      throws IOException {
    RocksDB.loadLibrary();
    return new RocksDbStore(dir, recordBytes);
  }

  /** Reads the library's version once, after loading it. */
  private static final class RocksDbVersion {
    static final String VERSION = load();

    private static String load() {
      RocksDB.loadLibrary();
      return RocksDB.rocksdbVersion().toString();
    }
  }

  /** Thread-safe, as RocksDB is; each thread copies records into arrays of its own. */
  private static final class RocksDbStore implements Store {
    private final Path dir;
    private final Options options = new Options().setCreateIfMissing(true);
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions bufferedWrites = new WriteOptions().setSync(false);
    private final AtomicLong nextKey = new AtomicLong();
    private final ThreadLocal<byte[][]> keyAndValue;
    private RocksDB db;

    RocksDbStore(Path dir, int recordBytes) throws IOException {
      this.dir = dir;
      this.keyAndValue = ThreadLocal.withInitial(() -> new byte[][] {new byte[8], new byte[recordBytes]});
      this.db = open();
    }

    private RocksDB open() throws IOException {
      try {
        return RocksDB.open(options, dir.toString());
      } catch (RocksDBException e) {
        throw new IOException("cannot open RocksDB in " + dir, e);
      }
    }

    @Override
    public void append(ByteBuffer record) throws IOException {
      put(syncWrites, record);
    }

    @Override
    public void appendNoWait(ByteBuffer record) throws IOException {
      put(bufferedWrites, record);
    }

    private void put(WriteOptions writeOptions, ByteBuffer record) throws IOException {
      byte[][] arrays = keyAndValue.get();
      byte[] value = arrays[1].length == record.remaining() ? arrays[1] : new byte[record.remaining()];
      ByteBuffer.wrap(arrays[0]).putLong(nextKey.getAndIncrement());
      record.get(value);
      try {
        db.put(writeOptions, arrays[0], value);
      } catch (RocksDBException e) {
        throw new IOException("RocksDB put failed in " + dir, e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        db.flushWal(true);
      } catch (RocksDBException e) {
        throw new IOException("RocksDB flushWal failed in " + dir, e);
      }
    }

    @Override
    public Scan reopen() throws IOException {
      closeDb();
      db = open();
      RocksIterator iterator = db.newIterator();
      iterator.seekToFirst();
      return new IteratorScan(iterator, keyAndValue.get()[1].length);
    }

    private void closeDb() throws IOException {
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new IOException("RocksDB close failed in " + dir, e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        closeDb();
      } finally {
        syncWrites.close();
        bufferedWrites.close();
        options.close();
      }
    }
  }

  /** Iterates every key in order, copying each value into one reused array. */
  private static final class IteratorScan implements Store.Scan {
    private final RocksIterator iterator;
    private final byte[] value;

    IteratorScan(RocksIterator iterator, int recordBytes) {
      this.iterator = iterator;
      this.value = new byte[recordBytes];
    }

    @Override
    public int next() throws IOException {
      if (!iterator.isValid()) {
        try {
          iterator.status();
        } catch (RocksDBException e) {
          throw new IOException("RocksDB iteration failed", e);
        }
        return -1;
      }
      int size = iterator.value(value);
      iterator.next();
      return size;
    }

    @Override
    public void close() {
      iterator.close();
    }
  }
}
