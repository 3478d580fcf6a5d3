package dev.wal.engine;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A test decorator whose file flushes take at least a given time, as a disk's do (a memory
 * backend's flush takes a microsecond), and which records which thread flushed each segment.
 */
final class SlowFlushVfs extends ForwardingVfs {
  private final long flushNanos;

  /** The names of the threads that flushed a segment file, in order. */
  final List<String> segmentFlushers = new CopyOnWriteArrayList<>();

  SlowFlushVfs(Vfs delegate, long flushNanos) {
    super("slow-flush", delegate);
    this.flushNanos = flushNanos;
  }

  @Override
  AbstractVfsFile openFile(String name, VfsFile file) {
    boolean segment = SegmentNames.parseSegmentName(name) > 0;
    return new ForwardingFile(name, this, file) {
      @Override
      protected void doFlush() throws IOException {
        long deadline = System.nanoTime() + flushNanos;
        for (long left = flushNanos; left > 0; left = deadline - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        file.flush();
        if (segment) {
          segmentFlushers.add(Thread.currentThread().getName());
        }
      }
    };
  }

  /** {@return how many segment flushes the flusher thread made, from the {@code from}th on} */
  long flushesByFlusher(int from) {
    return segmentFlushers.subList(from, segmentFlushers.size()).stream()
        .filter(name -> name.startsWith("wal-flusher"))
        .count();
  }
}
