package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers: byte patterns, whole-file reads and writes, and the test seed. */
final class Files {
  private Files() {}

  static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  static void write(VfsFile file, long offset, byte[] bytes) throws IOException {
    file.write(offset, ByteBuffer.wrap(bytes));
  }

  static byte[] read(VfsFile file, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    file.readFully(offset, buffer);
    return buffer.array();
  }

  static byte[] readAll(Vfs vfs, String name) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      return read(file, 0, Math.toIntExact(file.size()));
    }
  }

  /** Creates a file with this content, flushed, and syncs the directory. */
  static void durableFile(Vfs vfs, String name, byte[] content) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.CREATE_NEW)) {
      write(file, 0, content);
      file.flush();
    }
    vfs.syncDirectory();
  }

  /** The seed of a randomized test: {@code wal.tests.seed} when set, random otherwise. */
  static long testSeed() {
    return TestSeed.seed();
  }

  static String reproduce(Class<?> test, long seed) {
    return "seed " + seed + "; reproduce with: " + TestSeed.reproduceLine(test, seed);
  }

  /** {@return a fresh, empty in-memory storage} */
  static Vfs freshStorage() throws IOException {
    return Vfs.open("memory:faulty-unit-" + FRESH.incrementAndGet());
  }

  private static final AtomicLong FRESH = new AtomicLong();

  static FaultyVfs faulty(FaultConfig config) throws IOException {
    return FaultyVfs.wrap(freshStorage(), config);
  }

  static FaultyVfs faulty() throws IOException {
    return faulty(FaultConfig.none());
  }
}
