package dev.wal.vfs.local;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsProvider;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code local} provider: {@code local:<directory>[?sectorSize=4096&createDirectory=false&
 * ownerOnly=false]}, a directory of the default file system (a relative path is taken from the
 * working directory). See {@link LocalVfs} and {@link LocalVfsOptions}. Stateless and safe for
 * use by many threads.
 */
public final class LocalVfsProvider implements VfsProvider {
  static final String NAME = "local";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public LocalVfsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> supportedOptions() {
    return Set.of(
        LocalVfsOptions.SECTOR_SIZE, LocalVfsOptions.CREATE_DIRECTORY, LocalVfsOptions.OWNER_ONLY);
  }

  @Override
  public Vfs open(VfsSpec spec) throws IOException {
    LocalVfsOptions options = LocalVfsOptions.fromSpec(spec);
    Path directory;
    try {
      directory = Path.of(spec.location());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "spec '" + spec + "': location '" + spec.location() + "' is not a path: "
              + e.getReason(),
          e);
    }
    return LocalVfs.open(directory, options);
  }
}
