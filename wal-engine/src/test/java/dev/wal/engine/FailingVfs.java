package dev.wal.engine;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small test decorator that fails writes or flushes of segment files after a countdown, or holds
 * a flush at a gate, standing in for the fault-injecting backend (issue 4).
 */
final class FailingVfs extends ForwardingVfs {

  /** Segment writes left before every later one fails; negative: never fail. */
  final AtomicInteger writesLeft = new AtomicInteger(-1);

  /** Segment flushes left before every later one fails; negative: never fail. */
  final AtomicInteger flushesLeft = new AtomicInteger(-1);

  /** When set, a segment flush first counts down {@link #flushEntered} and waits for it. */
  volatile CountDownLatch flushGate;

  volatile CountDownLatch flushEntered = new CountDownLatch(1);

  /**
   * With {@link #flushGate} set: only the first segment flush waits at the gate, then fails, once
   * (Linux: the dirty pages are dropped); every other flush passes, as a second fsync of the file
   * may succeed, and counts down {@link #otherFlushEntered}.
   */
  volatile boolean failGatedFlushOnce;

  final CountDownLatch otherFlushEntered = new CountDownLatch(1);

  private final AtomicBoolean gateTaken = new AtomicBoolean();

  FailingVfs(Vfs delegate) {
    super("failing", delegate);
  }

  private static boolean spend(AtomicInteger left) {
    return left.get() >= 0 && left.getAndDecrement() <= 0;
  }

  @Override
  AbstractVfsFile openFile(String name, VfsFile file) {
    boolean segment = SegmentNames.parseSegmentName(name) > 0;
    return new ForwardingFile(name, this, file) {
      @Override
      protected void doWrite(long offset, ByteBuffer src) throws IOException {
        if (segment && spend(writesLeft)) {
          throw new IOException("injected write failure at offset " + offset + " of " + name);
        }
        file.write(offset, src);
      }

      @Override
      protected void doFlush() throws IOException {
        CountDownLatch gate = flushGate;
        if (segment && gate != null && failGatedFlushOnce
            && !gateTaken.compareAndSet(false, true)) {
          otherFlushEntered.countDown();
          file.flush();
          return;
        }
        if (segment && gate != null) {
          flushEntered.countDown();
          holdAt(gate, "a segment's flush");
        }
        if (segment && (spend(flushesLeft) || (gate != null && failGatedFlushOnce))) {
          throw new IOException("injected flush failure of " + name);
        }
        file.flush();
      }
    };
  }
}
