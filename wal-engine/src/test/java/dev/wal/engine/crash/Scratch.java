package dev.wal.engine.crash;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names of empty in-memory storages, picked by spec through the SPI and reused: a named memory
 * storage lives as long as the JVM, so thousands of crash images would otherwise pile up.
 */
final class Scratch {
  private static final ConcurrentLinkedQueue<String> FREE = new ConcurrentLinkedQueue<>();
  private static final AtomicLong NAMES = new AtomicLong();

  private Scratch() {}

  /** {@return the spec of an empty memory storage} */
  static String take() {
    String spec = FREE.poll();
    return spec != null
        ? spec
        : "memory:crash-suite-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
  }

  /** Deletes every file of the storage (whatever its users left) and returns its name. */
  static void release(String spec) throws IOException {
    try (Vfs vfs = Vfs.open(spec)) {
      for (String name : vfs.list()) {
        vfs.delete(name);
      }
      vfs.syncDirectory();
    }
    FREE.add(spec);
  }
}
