package dev.wal.vfs;

import dev.wal.vfs.testkit.VfsContractTest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The conformance kit over {@link HeapVfs}: it checks the kit itself, including the tests that
 * need a power loss or an injected flush failure, which the real backends skip.
 */
class HeapVfsContractTest extends VfsContractTest {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private HeapVfs.Storage storage;

  @Override
  protected Vfs newVfs() {
    storage = new HeapVfs.Storage();
    return new HeapVfs("heap:" + COUNT.incrementAndGet(), storage);
  }

  @Override
  protected Vfs openSecond(Vfs first) {
    return new HeapVfs(first.spec(), ((HeapVfs) first).storage);
  }

  @Override
  public Vfs simulatePowerLoss(Vfs vfs) {
    return new HeapVfs(vfs.spec() + "-after-power-loss", ((HeapVfs) vfs).storage.afterPowerLoss());
  }

  @Override
  public void failNextFlush(Vfs vfs, String fileName) {
    synchronized (storage) {
      ((HeapVfs) vfs).storage.failNextFlush.add(fileName);
    }
  }
}
