package dev.wal.vfs.memory;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsProvider;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.util.Set;

/**
 * The {@code memory} provider: {@code memory:<name>[?maxSize=64m&sectorSize=512&blockSize=8192]}.
 * See {@link MemoryVfs} and {@link MemoryVfsOptions}. Stateless and safe for use by many threads.
 */
public final class MemoryVfsProvider implements VfsProvider {
  static final String NAME = "memory";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public MemoryVfsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> supportedOptions() {
    return Set.of(
        MemoryVfsOptions.MAX_SIZE, MemoryVfsOptions.SECTOR_SIZE, MemoryVfsOptions.BLOCK_SIZE);
  }

  @Override
  public Vfs open(VfsSpec spec) throws IOException {
    return MemoryVfs.open(spec.location(), MemoryVfsOptions.fromSpec(spec));
  }
}
