package dev.wal.vfs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * What the contract interfaces need from the test class: the {@code Vfs} under test, the
 * backend's hooks (implemented by {@link VfsContractTest}), and small helpers.
 */
interface VfsFixture {

  /** {@return the fresh, empty storage of the running test} */
  Vfs vfs();

  /** {@return a second {@code Vfs} on the same storage as {@link #vfs()}; closed after the test} */
  Vfs openSecondVfs() throws IOException;

  /** See {@link VfsContractTest#simulatePowerLoss(Vfs)}. */
  Vfs simulatePowerLoss(Vfs vfs) throws IOException;

  /** See {@link VfsContractTest#failNextFlush(Vfs, String)}. */
  void failNextFlush(Vfs vfs, String fileName) throws IOException;

  /** See {@link VfsContractTest#specForOtherProcess(Vfs)}. */
  String specForOtherProcess(Vfs vfs);

  /** {@return {@code length} bytes that differ with {@code seed}} */
  static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  /** Creates (or replaces the content of) a file with {@code content}, flushed and closed. */
  static void writeFile(Vfs vfs, String name, byte[] content) throws IOException {
    try (VfsFile file = vfs.open(name, OpenMode.CREATE)) {
      file.truncate(0);
      file.write(0, ByteBuffer.wrap(content));
      file.flush();
    }
  }

  /** {@return the whole content of an existing file} */
  static byte[] readFile(Vfs vfs, String name) throws IOException {
    try (VfsFile file = vfs.open(name, OpenMode.EXISTING)) {
      return readAll(file);
    }
  }

  /** {@return the whole content of an open file} */
  static byte[] readAll(VfsFile file) throws IOException {
    long size = file.size();
    assertThat(size).as("size of %s", file.name()).isLessThan(Integer.MAX_VALUE);
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    file.readFully(0, buffer);
    return buffer.array();
  }
}
