package dev.wal.engine;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One storage location for a test, reopenable: a fresh name on the memory backend, or a directory
 * on the local backend. Picked by spec through the SPI; the tests never name a backend class.
 */
final class TestStorage {
  private static final AtomicLong NAMES = new AtomicLong();

  private final String spec;

  private TestStorage(String spec) {
    this.spec = spec;
  }

  /** {@return the backends every engine test runs on} */
  static List<String> backends() {
    return List.of("memory", "local");
  }

  static TestStorage of(String backend, Path tempDir) {
    return switch (backend) {
      case "memory" -> new TestStorage(
          "memory:engine-test-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet());
      case "local" -> new TestStorage("local:" + tempDir.toAbsolutePath());
      default -> throw new IllegalArgumentException("unknown backend " + backend);
    };
  }

  static TestStorage memory() {
    return of("memory", null);
  }

  Vfs open() throws IOException {
    return Vfs.open(spec);
  }

  String spec() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }
}
