package dev.wal.bench;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a file through each backend, closes the storage, reopens it by the same spec and reads
 * the file back: the smallest end-to-end use of the Vfs SPI.
 */
public final class Demo {
  private Demo() {}

  /**
   * Runs the demo.
   *
   * @param args optional: a directory for the local backend (default: a new temporary one)
   * @throws IOException if any storage operation fails
   */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("wal-demo");
    System.out.println("Vfs providers found: " + VfsProvider.availableNames());
    for (String spec : new String[] {"memory:demo", "local:" + dir.toAbsolutePath()}) {
      roundTrip(spec);
    }
  }

  private static void roundTrip(String spec) throws IOException {
    byte[] message = ("hello from " + spec).getBytes(StandardCharsets.UTF_8);
    try (Vfs vfs = Vfs.open(spec);
        VfsFile file = vfs.open("greeting", Vfs.OpenMode.CREATE)) {
      file.truncate(0);
      file.write(0, ByteBuffer.wrap(message));
      file.flush();
      vfs.syncDirectory();
    }
    try (Vfs vfs = Vfs.open(spec);
        VfsFile file = vfs.open("greeting", Vfs.OpenMode.EXISTING)) {
      ByteBuffer read = ByteBuffer.allocate((int) file.size());
      file.readFully(0, read);
      System.out.printf(
          "%-40s files=%s capabilities=%s%n  read back: %s%n",
          spec,
          vfs.list(),
          vfs.capabilities(),
          new String(read.array(), StandardCharsets.UTF_8));
    }
  }
}
