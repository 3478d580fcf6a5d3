package dev.wal.vfs.memory;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.testkit.VfsContractTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The conformance kit over the memory backend, each test on a fresh name. */
class MemoryVfsContractTest extends VfsContractTest {
  private final List<String> names = new ArrayList<>();

  @Override
  protected Vfs newVfs() throws IOException {
    String name = "contract-" + UUID.randomUUID();
    names.add(name);
    return MemoryVfs.open(name);
  }

  @AfterEach
  void dropNames() throws IOException {
    for (String name : names) {
      MemoryVfs.drop(name);
    }
  }
}
