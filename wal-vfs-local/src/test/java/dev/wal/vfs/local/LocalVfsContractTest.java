package dev.wal.vfs.local;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.VfsContractTest;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The conformance kit over the local backend on the default file system. */
class LocalVfsContractTest extends VfsContractTest {
  @TempDir Path temp;

  @Override
  protected Vfs newVfs() throws IOException {
    return LocalVfs.open(temp.resolve("vfs"));
  }
}
