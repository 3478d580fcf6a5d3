package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsProvider;
import dev.wal.vfs.VfsSpec;

/** Opens {@link HeapVfs} by spec {@code heap:<name>}, for this module's tests. */
public final class HeapVfsProvider implements VfsProvider {
  public HeapVfsProvider() {}

  @Override
  public String name() {
    return "heap";
  }

  @Override
  public Vfs open(VfsSpec spec) {
    return new HeapVfs(spec.location());
  }
}
