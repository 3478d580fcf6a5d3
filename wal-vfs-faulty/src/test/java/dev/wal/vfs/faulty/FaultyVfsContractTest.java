package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.memory.MemoryVfs;
import dev.wal.vfs.testkit.VfsContractTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * The conformance kit over {@code faulty:memory:} with no faults configured, including the
 * durability claims, checked on power-loss crash images (random subsets of unflushed writes,
 * torn, and a random prefix of unsynced directory changes).
 */
class FaultyVfsContractTest extends VfsContractTest {
  private final List<String> names = new ArrayList<>();
  private final List<Vfs> images = new ArrayList<>();

  private String freshName() {
    String name = "faulty-contract-" + UUID.randomUUID();
    names.add(name);
    return name;
  }

  @Override
  protected Vfs newVfs() throws IOException {
    return FaultyVfs.open("memory:" + freshName(), FaultConfig.none());
  }

  @Override
  public Vfs simulatePowerLoss(Vfs vfs) throws IOException {
    Vfs image = ((FaultyVfs) vfs).crash(CrashOptions.powerLoss(), "memory:" + freshName());
    images.add(image);
    return image;
  }

  @Override
  public void failNextFlush(Vfs vfs, String fileName) {
    ((FaultyVfs) vfs).addRule(
        FaultRule.failOn(OpKind.FLUSH).filesMatching(Pattern.compile(Pattern.quote(fileName))));
  }

  @AfterEach
  void dropStorages() throws IOException {
    for (Vfs image : images) {
      image.close();
    }
    for (String name : names) {
      MemoryVfs.drop(name);
    }
  }
}
