package dev.wal.vfs.local;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.VfsContractTest;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The conformance kit over the local backend on a jimfs file system; the subclasses choose its
 * configuration.
 */
abstract class LocalVfsOnJimfsContractTest extends VfsContractTest {
  private FileSystem fileSystem;
  private Path directory;

  abstract Configuration configuration();

  @Override
  protected Vfs newVfs() throws IOException {
    fileSystem = Jimfs.newFileSystem(configuration());
    directory = fileSystem.getPath("wal").toAbsolutePath();
    return LocalVfs.open(directory);
  }

  @Override
  protected Vfs openSecond(Vfs first) throws IOException {
    return LocalVfs.open(directory);
  }

  @AfterEach
  void closeFileSystem() throws IOException {
    fileSystem.close();
  }
}
