package dev.wal.engine;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small test decorator that fails writes or flushes of segment files after a countdown, or holds
 * a flush at a gate, standing in for the fault-injecting backend (issue 4).
 */
final class FailingVfs extends AbstractVfs {
  private final Vfs delegate;

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
    super("failing:" + delegate.spec(), delegate.capabilities());
    this.delegate = delegate;
  }

  private static boolean spend(AtomicInteger left) {
    return left.get() >= 0 && left.getAndDecrement() <= 0;
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    VfsFile file = delegate.open(name, mode);
    boolean segment = SegmentNames.parseSegmentName(name) > 0;
    return new AbstractVfsFile(name, this) {
      @Override
      protected void doWrite(long offset, ByteBuffer src) throws IOException {
        if (segment && spend(writesLeft)) {
          throw new IOException("injected write failure at offset " + offset + " of " + name);
        }
        file.write(offset, src);
      }

      @Override
      protected int doRead(long offset, ByteBuffer dst) throws IOException {
        return file.read(offset, dst);
      }

      @Override
      protected long doSize() throws IOException {
        return file.size();
      }

      @Override
      protected void doTruncate(long size) throws IOException {
        file.truncate(size);
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
          try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
              throw new IOException("test gate never opened");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted at the test gate", e);
          }
        }
        if (segment && (spend(flushesLeft) || (gate != null && failGatedFlushOnce))) {
          throw new IOException("injected flush failure of " + name);
        }
        file.flush();
      }

      @Override
      protected void doClose() throws IOException {
        file.close();
      }
    };
  }

  @Override
  protected List<String> doList() throws IOException {
    return delegate.list();
  }

  @Override
  protected boolean doExists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  protected void doDelete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    delegate.rename(source, target);
  }

  @Override
  protected void doSyncDirectory() throws IOException {
    delegate.syncDirectory();
  }

  @Override
  protected VfsLock doLock(String name) throws IOException {
    return delegate.lock(name);
  }
}
