package dev.wal.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An ideal group commit over a preallocated file used as a ring: appenders copy their record into
 * the filling buffer and wait; one writer thread swaps the buffers, writes the whole batch in one
 * call, forces once and wakes the batch's appenders. The lock is never held across a write or a
 * force.
 *
 * <p>Each appender has at most one record queued, so a buffer of {@code threads} records never
 * fills. Thread-safe.
 */
final class GroupCommitStore implements Store {
  private static final long CLOSE_TIMEOUT_SECONDS = 60;

  private final FileChannel channel;
  private final long ringBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition recordsQueued = lock.newCondition();
  private final Condition batchDurable = lock.newCondition();
  private final Thread writer;

  // Guarded by lock.
  private ByteBuffer filling;
  // Guarded by lock: the number of the batch now filling; batches before it are being written.
  private long fillingBatch = 1;
  // Guarded by lock.
  private long durableBatch;
  // Guarded by lock.
  private IOException failure;
  // Guarded by lock.
  private boolean closing;

  // Owned by the writer thread.
  private ByteBuffer writing;
  private long position;

  private GroupCommitStore(FileChannel channel, int batchBytes, long ringBytes) {
    this.channel = channel;
    this.ringBytes = ringBytes;
    this.filling = DiskFiles.frameBuffer(batchBytes);
    this.writing = DiskFiles.frameBuffer(batchBytes);
    this.writer = new Thread(this::writeBatches, "ideal-group-commit-writer");
    writer.setDaemon(true);
  }

  /**
   * Starts the writer thread.
   *
   * @param channel a preallocated file of {@code ringBytes} bytes; closed by {@link #close()}
   * @param batchBytes the most bytes of frames queued at once
   * @param ringBytes the file's size
   * @return the running store
   */
  static GroupCommitStore start(FileChannel channel, int batchBytes, long ringBytes) {
    GroupCommitStore store = new GroupCommitStore(channel, batchBytes, ringBytes);
    store.writer.start();
    return store;
  }

  @Override
  public void append(ByteBuffer record) throws IOException {
    lock.lock();
    try {
      checkUsable();
      DiskFiles.putFrame(filling, record);
      long batch = fillingBatch;
      recordsQueued.signal();
      while (durableBatch < batch) {
        checkUsable();
        batchDurable.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the group commit");
    } finally {
      lock.unlock();
    }
  }

  private void checkUsable() throws IOException {
    if (failure != null) {
      throw new IOException("the group commit writer failed", failure);
    }
    if (closing) {
      throw new IOException("the group commit store is closed");
    }
  }

  private void writeBatches() {
    try {
      while (true) {
        long batch = takeBatch();
        if (batch < 0) {
          return;
        }
        writing.flip();
        if (position + writing.remaining() > ringBytes) {
          position = 0;
        }
        long offset = position;
        position += writing.remaining();
        DiskFiles.writeFully(channel, offset, writing);
        channel.force(false);
        writing.clear();
        publish(batch);
      }
    } catch (IOException | RuntimeException e) {
      fail(e instanceof IOException io ? io : new IOException(e));
    } catch (InterruptedException e) {
      fail(new InterruptedIOException("group commit writer interrupted"));
    }
  }

  /** Waits for queued records and swaps the buffers; returns the batch's number, or -1 to stop. */
  private long takeBatch() throws InterruptedException {
    lock.lock();
    try {
      while (filling.position() == 0 && !closing) {
        recordsQueued.await();
      }
      if (filling.position() == 0) {
        return -1;
      }
      ByteBuffer full = filling;
      filling = writing;
      writing = full;
      return fillingBatch++;
    } finally {
      lock.unlock();
    }
  }

  private void publish(long batch) {
    lock.lock();
    try {
      durableBatch = batch;
      batchDurable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void fail(IOException e) {
    lock.lock();
    try {
      failure = e;
      batchDurable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void appendNoWait(ByteBuffer record) {
    throw new UnsupportedOperationException("the group commit store runs the durable workload");
  }

  @Override
  public void flush() throws IOException {
    channel.force(false);
  }

  @Override
  public Scan reopen() {
    throw new UnsupportedOperationException("the group commit store runs the durable workload");
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      closing = true;
      recordsQueued.signalAll();
      batchDurable.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the group commit writer");
    } finally {
      channel.close();
    }
    if (writer.isAlive()) {
      throw new IOException(
          "the group commit writer did not stop within " + CLOSE_TIMEOUT_SECONDS + " s");
    }
  }
}
