package dev.wal.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Something that stores records durably, measured side by side with the others: the disk's own
 * limits, RocksDB, and the log on each backend.
 *
 * <p>Implementations are stateless and safe for use by many threads; each {@link Store} they
 * create holds one benchmark cell's data.
 */
interface Contender {
  /** {@return a short stable name, used in the table, the files and on the command line} */
  String name();

  /** {@return one line saying what is measured and how, for the legend} */
  String description();

  /**
   * Tells whether this contender takes part in a workload.
   *
   * @param workload the workload
   * @return whether {@link #create} may be called for it
   */
  boolean runs(Workload workload);

  /**
   * Creates an empty store for one benchmark cell.
   *
   * @param workload the workload it is created for; one this contender {@linkplain #runs runs}
   * @param dir an empty directory on the disk under test, owned by the store until it is closed;
   *     the caller deletes it afterwards
   * @param threads how many threads will append at once (at most)
   * @param recordBytes the size of every record's payload
   * @return the store, open for appending
   * @throws IOException if it cannot be created
   */
  Store create(Workload workload, Path dir, int threads, int recordBytes) throws IOException;
}
