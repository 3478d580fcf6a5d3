package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next segment file ahead of need, in the background, as etcd does: a file named
 * {@link SegmentNames#SPARE} filled with zeros to the segment size and flushed, so that appends to
 * it never change its size and a flush never commits size metadata. The preparation starts right
 * after a rotation ({@link #onRotated}), when the active segment is half full ({@link
 * #onWritten}), or when a spare is taken and none is under way; not when a log opens, so that
 * its zeros do not reach the disk while a new log's first flushes are being timed. At rotation
 * the spare gets its header and is renamed into place ({@link #install}); the directory is
 * synced before anything depends on the new name.
 *
 * <p>Design note: zeros, not a reservation. Linux's {@code fallocate} reserves a file's blocks
 * without writing them, which would spare the disk the zeros, but the blocks stay marked
 * unwritten, and a flush after the first write into one must commit their conversion: a journal
 * commit, as when a file grows. Tried through JNA on ext4 (wal-bench, alternating with zeros, two
 * rounds each), records a second fell from 7,100-7,200 to 4,500-4,900 at 4 KiB and 1 thread, from
 * 69-73 thousand to 44-59 thousand at 128 B and 16 threads, and from 143-145 thousand to 114-118
 * thousand at 64; at 4 KiB and 64 threads, where the zeros double the bytes, it made 80-83 thousand
 * against 83-86. Only a recycled file (below) is written in place without either cost.
 *
 * <p><b>Recycling.</b> A segment that {@code truncateBefore} drops is kept ({@link
 * KeptSegment}), and the next preparation makes the spare from it instead of writing zeros. Once
 * a segment has been kept, a rotation no longer starts the next preparation at once: the segment
 * before it is usually dropped soon after, and the preparation starts when it is kept (at the next
 * write) or when the active segment is half full, whichever comes first.
 *
 * <p><b>Pacing.</b> The zeros are written in flushed steps with pauses between them ({@link
 * ZeroPacer}), so that a preparation ends when the active segment is about three quarters full
 * rather than as soon as the disk allows, and the log's own flushes do not queue behind it.
 * Whoever waits for a preparation ({@link #take}, {@link #close}, {@link #awaitIdle}) ends its
 * pauses.
 *
 * <p>Thread safety: {@link #take}, {@link #install} and the other methods that touch the pending
 * preparation are called only by the thread holding the log's I/O role (one at a time); {@link
 * #recycle} by a {@code truncateBefore}, which holds no role (see {@link KeptSegment}); the
 * preparation itself runs on a private daemon thread.
 */
final class SparePreparer implements Closeable {
  /**
   * The spare's zeros are written and flushed in steps of this size, not all at once: a flush of a
   * whole segment's zeros fills the device's queue for tens or hundreds of milliseconds, and the
   * log's own flushes, and its appenders' latency, wait behind it. Between steps the preparation
   * pauses as {@link ZeroPacer} says.
   *
   * <p>Design note: steps were 1 MiB. In a three-member SOFAJRaft cluster on one disk, with the
   * JVM's collections made rare enough not to set the tail, nearly every commit slower than 2.5 ms
   * fell while the members prepared spares, and our p99.9 was 1.4-1.8 x RocksDB's at 16 and 64
   * commits in flight. With 256 KiB steps it was 0.86-0.90 x, and 128 KiB did no better. The
   * log's own throughput did not change (wal-bench, 1 to 64 threads), and its p99 with 4 KiB
   * records at 64 threads halved.
   */
  private static final int ZERO_STEP_BYTES = 256 << 10;

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_STEP_BYTES);

  private final Vfs vfs;
  private final long segmentBytes;
  private final boolean preallocate;
  private final KeptSegment kept;
  private final ZeroPacer pacer;
  private final ExecutorService executor;

  /** Confined to the I/O role. */
  private Future<Spare> pending;

  /**
   * Released to make the latest preparation write its zeros without pausing. Set by the I/O role;
   * released by whoever waits for the preparation.
   */
  private volatile CountDownLatch hurry = new CountDownLatch(0);

  /**
   * A file ready to become a segment.
   *
   * @param file the open file: zero-filled, recycled, or empty
   * @param previousSalt the salt of the records a recycled file holds, or 0
   * @param bytes the file's size when taken
   */
  record Spare(VfsFile file, long previousSalt, long bytes) {}

  SparePreparer(Vfs vfs, WalConfig config) {
    this(vfs, config, new ZeroPacer(config.segmentBytes()));
  }

  SparePreparer(Vfs vfs, WalConfig config, ZeroPacer pacer) {
    this.vfs = vfs;
    this.segmentBytes = config.segmentBytes();
    this.preallocate = config.preallocate();
    this.kept = new KeptSegment(vfs, config);
    this.pacer = pacer;
    this.executor =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "wal-spare " + vfs.spec());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts preparing a spare in the background, unless one is being prepared. */
  void prepareAhead() {
    if (pending == null) {
      CountDownLatch released = new CountDownLatch(1);
      hurry = released;
      pending = executor.submit(() -> prepare(released));
    }
  }

  /**
   * Takes the prepared spare, ending the preparation's pauses and waiting for it
   * (uninterruptibly: the rotation it serves must not fail because a caller was interrupted).
   *
   * @return the open spare, zero-filled and flushed, or recycled
   * @throws IOException if preparing it failed
   */
  Spare take() throws IOException {
    prepareAhead();
    hurry.countDown();
    Future<Spare> future = pending;
    pending = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw new IOException("preparing the next segment failed: " + io.getMessage(), io);
          }
          throw new IOException("preparing the next segment failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Takes the prepared spare if it is ready; otherwise creates an empty file ({@link
   * SegmentNames#FRESH}) at once and leaves the preparation going for the next rotation. So a
   * rotation never waits for preallocation: when appends outrun it (buffered appends at a
   * gigabyte a second fill a 64 MiB segment faster than the disk takes its zeros), the new segment
   * grows as it is written, and its flushes commit size changes until the next rotation.
   *
   * @return an open, flushed file: the spare, or an empty one
   * @throws IOException if preparing the spare failed, or creating the empty file did
   */
  Spare takeReadyOrFresh() throws IOException {
    prepareAhead();
    if (pending.isDone()) {
      return take();
    }
    VfsFile file = vfs.open(SegmentNames.FRESH, Vfs.OpenMode.CREATE);
    boolean success = false;
    try {
      file.truncate(0);
      file.flush();
      success = true;
      return new Spare(file, 0, 0);
    } finally {
      if (!success) {
        file.close();
      }
    }
  }

  /**
   * Creates an empty file ({@link SegmentNames#FRESH}) to rewrite a segment into when a log
   * opens, without waiting for a preallocation or starting one. First deletes the spare and the
   * empty file an earlier run may have left: on a nearly full disk their space is what lets the
   * copy succeed. Call it only while no preparation is under way.
   *
   * @return an open, empty file
   * @throws IOException if deleting or creating failed
   */
  VfsFile takeEmpty() throws IOException {
    if (pending != null) {
      throw new IllegalStateException("a spare is being prepared");
    }
    for (String name : new String[] {SegmentNames.SPARE, SegmentNames.FRESH}) {
      if (vfs.exists(name)) {
        vfs.delete(name);
      }
    }
    return vfs.open(SegmentNames.FRESH, Vfs.OpenMode.CREATE_NEW);
  }

  /**
   * Makes a filled spare (or a fresh file) the segment {@code name}: flushes it, renames it over
   * {@code name} (atomically replacing a segment of that name, if any), syncs the directory, and
   * starts preparing the next spare.
   */
  void install(VfsFile spare, String name) throws IOException {
    String from = spare.name();
    try {
      spare.flush();
    } finally {
      spare.close();
    }
    vfs.rename(from, name);
    vfs.syncDirectory();
  }

  /**
   * Starts preparing the next spare once the active segment is half full: early enough that a
   * rotation at a steady rate finds it ready, late enough that its zeros (as many bytes as the
   * segment) do not reach the disk while a new log's first flushes are being timed.
   *
   * @param segmentOffset how far the active segment is written
   */
  void onWritten(long segmentOffset) {
    pacer.written(segmentOffset);
    if (segmentOffset > segmentBytes / 2 || kept.waiting()) {
      prepareAhead();
    }
  }

  /**
   * Starts preparing the next spare after a rotation, unless segments are being recycled: then
   * {@link #onWritten} starts it once the segment the log is truncating is kept.
   */
  void onRotated() {
    pacer.rotated();
    if (!kept.truncatedBehind()) {
      prepareAhead();
    }
  }

  /**
   * Keeps segment {@code name}, which truncateBefore dropped, to become a later spare, or deletes
   * it (see {@link KeptSegment#keep}).
   */
  void recycle(String name) throws IOException {
    kept.keep(name);
  }

  /**
   * Deletes the kept segment, and the spare if it was made from one (a zero-filled spare stays):
   * for a reset, after which the log may reuse the LSNs of their records. Called by the thread
   * holding the log's I/O roles.
   */
  void discardRecycled() throws IOException {
    kept.discard();
    if (pending == null) {
      return;
    }
    Spare spare = take();
    if (spare.previousSalt() == 0) {
      pending = CompletableFuture.completedFuture(spare);
      return;
    }
    spare.file().close();
    vfs.delete(SegmentNames.SPARE);
  }

  private Spare prepare(CountDownLatch hurry) throws IOException {
    if (vfs.exists(SegmentNames.SPARE)) {
      vfs.delete(SegmentNames.SPARE);
    }
    Spare recycled = kept.takeAsSpare();
    if (recycled != null) {
      return recycled;
    }
    VfsFile file = vfs.open(SegmentNames.SPARE, Vfs.OpenMode.CREATE_NEW);
    boolean success = false;
    try {
      if (preallocate) {
        writeZeros(file, hurry);
      } else {
        file.flush();
      }
      success = true;
      return new Spare(file, 0, preallocate ? segmentBytes : 0);
    } finally {
      if (!success) {
        file.close();
      }
    }
  }

  /** Fills {@code file} with zeros to the segment size, flushed, in paced steps. */
  private void writeZeros(VfsFile file, CountDownLatch hurry) throws IOException {
    for (long offset = 0; offset < segmentBytes; ) {
      long start = System.nanoTime();
      int bytes = (int) Math.min(ZERO_STEP_BYTES, segmentBytes - offset);
      file.write(offset, ZEROS.duplicate().limit(bytes));
      file.flush();
      offset += bytes;
      long pause = pacer.pauseNanos(bytes, System.nanoTime() - start, segmentBytes - offset);
      try {
        if (pause > 0) {
          hurry.await(pause, TimeUnit.NANOSECONDS); // returns at once from now on if hurried
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while preparing a spare segment");
      }
    }
  }

  /**
   * Waits until every preparation submitted so far has finished (its outcome stays for {@link
   * #take}), so that a test can count the storage operations of a step without a background
   * thread's racing with it. Safe from any thread: the executor runs its tasks in order.
   */
  void awaitIdle() throws IOException {
    hurry.countDown();
    try {
      executor.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a spare segment");
    } catch (ExecutionException e) {
      throw new AssertionError("an empty task failed", e);
    }
  }

  /**
   * Stops the background thread, waiting for a preparation under way; leaves its file.
   *
   * @throws IOException if the last preparation failed and no rotation took it (so nobody heard)
   */
  @Override
  public void close() throws IOException {
    hurry.countDown();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IOException("preparing a spare segment did not finish within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a spare segment");
    }
    Future<Spare> future = pending;
    pending = null;
    if (future != null) {
      Spare spare;
      try {
        spare = future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a spare segment");
      } catch (ExecutionException e) {
        // No rotation needed this spare, but its I/O error still reaches the caller: a failing
        // disk is not kept secret because the log closed before depending on it.
        Throwable cause = e.getCause();
        throw new IOException("preparing the next segment failed: " + cause, cause);
      }
      spare.file().close();
    }
  }
}
