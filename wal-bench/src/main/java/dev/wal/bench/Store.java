package dev.wal.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One benchmark cell's records, as a contender stores them.
 *
 * <p>Each append method reads the record from the buffer's position to its limit and may move its
 * position; the caller rewinds it. {@link #append} is safe for use by many threads at once; {@link
 * #appendNoWait} and {@link #flush} are called by one thread.
 */
interface Store extends Closeable {
  /**
   * Appends a record and returns once it is durable.
   *
   * @param record the payload
   * @throws IOException if it could not be made durable
   */
  void append(ByteBuffer record) throws IOException;

  /**
   * Appends a record without waiting for it to be durable.
   *
   * @param record the payload
   * @throws IOException if it could not be appended
   */
  void appendNoWait(ByteBuffer record) throws IOException;

  /**
   * Makes every record appended so far durable.
   *
   * @throws IOException if they could not be made durable
   */
  void flush() throws IOException;

  /**
   * Says what the store did besides storing records, for the result's note: the steady workload's
   * truncations, for example. Called after the last append, before {@link #close()}.
   *
   * @return the note, or empty
   */
  default String note() {
    return "";
  }

  /**
   * Closes the writing side and opens the records for reading from the first one, as a process
   * restarting after a crash would. Called once, after the last flush.
   *
   * @return a scan over every record appended
   * @throws IOException if reopening fails
   */
  Scan reopen() throws IOException;

  /**
   * Releases everything the store holds; data held in memory is dropped.
   *
   * @throws IOException if releasing failed
   */
  @Override
  void close() throws IOException;

  /** Reads records back in the order they were appended. Not thread-safe. */
  interface Scan extends Closeable {
    /**
     * Reads the next record.
     *
     * @return its payload size in bytes, or -1 after the last record
     * @throws IOException if reading fails or the data is damaged
     */
    int next() throws IOException;
  }
}
