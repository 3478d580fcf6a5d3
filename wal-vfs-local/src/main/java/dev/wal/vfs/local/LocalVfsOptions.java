package dev.wal.vfs.local;

import dev.wal.vfs.VfsSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of a {@link LocalVfs}. Immutable; start from {@link #defaults()}. The spec keys are the
 * names below: {@code local:/var/lib/app/wal?sectorSize=4096&createDirectory=false}.
 */
public final class LocalVfsOptions {
  static final String SECTOR_SIZE = "sectorSize";
  static final String CREATE_DIRECTORY = "createDirectory";
  static final String OWNER_ONLY = "ownerOnly";

  private static final int DEFAULT_SECTOR_SIZE = 512;
  private static final LocalVfsOptions DEFAULTS =
      new LocalVfsOptions(DEFAULT_SECTOR_SIZE, true, true);

  private final int sectorSize;
  private final boolean createDirectory;
  private final boolean ownerOnly;

  private LocalVfsOptions(int sectorSize, boolean createDirectory, boolean ownerOnly) {
    this.sectorSize = sectorSize;
    this.createDirectory = createDirectory;
    this.ownerOnly = ownerOnly;
  }

  /** {@return the defaults: 512-byte sectors, create the directory, owner-only permissions} */
  public static LocalVfsOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Sets the sector size the storage claims: the unit in which a write may tear at a power loss.
   * 512 unless set; use the device's physical sector size (often 4096) where it is known.
   *
   * @param bytes a power of two from 1 to 1 MiB
   * @return options with the sector size set
   * @throws IllegalArgumentException if {@code bytes} is out of range or not a power of two
   */
  public LocalVfsOptions withSectorSize(int bytes) {
    String problem = sectorSizeProblem(bytes);
    if (problem != null) {
      throw new IllegalArgumentException(SECTOR_SIZE + " (" + bytes + ") " + problem);
    }
    return new LocalVfsOptions(bytes, createDirectory, ownerOnly);
  }

  /**
   * Sets whether a missing directory is created (with its missing parents); true unless set.
   * When false, opening a missing directory throws {@link java.nio.file.NoSuchFileException}.
   *
   * @param create whether to create it
   * @return options with the choice set
   */
  public LocalVfsOptions withCreateDirectory(boolean create) {
    return new LocalVfsOptions(sectorSize, create, ownerOnly);
  }

  /**
   * Sets whether the directory, files and lock files this storage creates are readable and
   * writable by their owner only, on file systems with POSIX permissions; true unless set. When
   * false they get the process's default permissions (its umask). Existing ones are not changed.
   *
   * @param ownerOnly whether to create them owner-only
   * @return options with the choice set
   */
  public LocalVfsOptions withOwnerOnly(boolean ownerOnly) {
    return new LocalVfsOptions(sectorSize, createDirectory, ownerOnly);
  }

  static LocalVfsOptions fromSpec(VfsSpec spec) {
    long sectorSize = spec.sizeOption(SECTOR_SIZE, DEFAULT_SECTOR_SIZE);
    String problem = sectorSizeProblem(sectorSize);
    if (problem != null) {
      throw spec.badValue(SECTOR_SIZE, spec.option(SECTOR_SIZE).orElseThrow(), problem);
    }
    return new LocalVfsOptions(
        (int) sectorSize,
        spec.booleanOption(CREATE_DIRECTORY, true),
        spec.booleanOption(OWNER_ONLY, true));
  }

  private static String sectorSizeProblem(long bytes) {
    if (bytes < 1 || bytes > 1 << 20) {
      return "must be from 1 to 1048576 (1m)";
    }
    return Long.bitCount(bytes) == 1 ? null : "must be a power of two";
  }

  int sectorSize() {
    return sectorSize;
  }

  boolean createDirectory() {
    return createDirectory;
  }

  boolean ownerOnly() {
    return ownerOnly;
  }

  /** {@return the options that differ from the defaults, as spec keys and values} */
  Map<String, String> asSpecOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    if (sectorSize != DEFAULT_SECTOR_SIZE) {
      options.put(SECTOR_SIZE, Integer.toString(sectorSize));
    }
    if (!createDirectory) {
      options.put(CREATE_DIRECTORY, "false");
    }
    if (!ownerOnly) {
      options.put(OWNER_ONLY, "false");
    }
    return options;
  }

  @Override
  public String toString() {
    return "LocalVfsOptions{sectorSize=" + sectorSize + ", createDirectory=" + createDirectory
        + ", ownerOnly=" + ownerOnly + "}";
  }
}
