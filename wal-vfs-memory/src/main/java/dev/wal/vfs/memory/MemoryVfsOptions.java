package dev.wal.vfs.memory;

import dev.wal.vfs.VfsSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of a memory storage, set when a name is first opened. Immutable; start from {@link
 * #defaults()}.
 *
 * <p>An option left unset takes the existing storage's value when the name is already open, or
 * the default when it is created. An option set to a value other than the existing storage's is
 * refused: a storage's limits never change while it lives.
 *
 * <p>The spec keys are the method names: {@code memory:orders?maxSize=64m&sectorSize=4096}.
 */
public final class MemoryVfsOptions {
  /** The sector size claimed unless configured. */
  static final int DEFAULT_SECTOR_SIZE = 512;

  /** jimfs's own default block size. */
  static final int DEFAULT_BLOCK_SIZE = 8192;

  static final String MAX_SIZE = "maxSize";
  static final String SECTOR_SIZE = "sectorSize";
  static final String BLOCK_SIZE = "blockSize";

  private static final long UNSET = -1;
  private static final MemoryVfsOptions DEFAULTS = new MemoryVfsOptions(UNSET, UNSET, UNSET);

  private final long maxSizeBytes;
  private final long sectorSizeBytes;
  private final long blockSizeBytes;

  private MemoryVfsOptions(long maxSizeBytes, long sectorSizeBytes, long blockSizeBytes) {
    this.maxSizeBytes = maxSizeBytes;
    this.sectorSizeBytes = sectorSizeBytes;
    this.blockSizeBytes = blockSizeBytes;
  }

  /** {@return options with nothing set: no size limit but the heap, 512-byte sectors} */
  public static MemoryVfsOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Limits the storage's total file contents; a write that would pass it throws {@link
   * dev.wal.vfs.OutOfSpaceException} and writes nothing. jimfs counts whole blocks, so the limit
   * is rounded down to a multiple of the block size.
   *
   * @param bytes the limit in bytes, at least one block
   * @return options with the limit set
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public MemoryVfsOptions withMaxSize(long bytes) {
    check(MAX_SIZE, bytes, maxSizeProblem(bytes));
    return new MemoryVfsOptions(bytes, sectorSizeBytes, blockSizeBytes);
  }

  /**
   * Sets the sector size the storage claims in its capabilities (the unit in which the
   * fault-injecting backend tears writes); 512 unless set.
   *
   * @param bytes a power of two from 1 to 1 MiB
   * @return options with the sector size set
   * @throws IllegalArgumentException if {@code bytes} is out of range or not a power of two
   */
  public MemoryVfsOptions withSectorSize(int bytes) {
    check(SECTOR_SIZE, bytes, powerOfTwoProblem(bytes, 1));
    return new MemoryVfsOptions(maxSizeBytes, bytes, blockSizeBytes);
  }

  /**
   * Sets jimfs's block size, the unit in which memory is allocated and {@code maxSize} counted;
   * 8192 unless set.
   *
   * @param bytes a power of two from 512 to 1 MiB
   * @return options with the block size set
   * @throws IllegalArgumentException if {@code bytes} is out of range or not a power of two
   */
  public MemoryVfsOptions withBlockSize(int bytes) {
    check(BLOCK_SIZE, bytes, powerOfTwoProblem(bytes, 512));
    return new MemoryVfsOptions(maxSizeBytes, sectorSizeBytes, bytes);
  }

  static MemoryVfsOptions fromSpec(VfsSpec spec) {
    long maxSize = spec.sizeOption(MAX_SIZE, UNSET);
    long sectorSize = spec.sizeOption(SECTOR_SIZE, UNSET);
    long blockSize = spec.sizeOption(BLOCK_SIZE, UNSET);
    checkSpec(spec, MAX_SIZE, maxSize, maxSizeProblem(maxSize));
    checkSpec(spec, SECTOR_SIZE, sectorSize, powerOfTwoProblem(sectorSize, 1));
    checkSpec(spec, BLOCK_SIZE, blockSize, powerOfTwoProblem(blockSize, 512));
    return new MemoryVfsOptions(maxSize, sectorSize, blockSize);
  }

  private static void check(String key, long value, String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(key + " (" + value + ") " + problem);
    }
  }

  private static void checkSpec(VfsSpec spec, String key, long value, String problem) {
    if (value != UNSET && problem != null) {
      throw spec.badValue(key, spec.option(key).orElseThrow(), problem);
    }
  }

  private static String maxSizeProblem(long bytes) {
    return bytes > 0 ? null : "must be positive";
  }

  private static String powerOfTwoProblem(long bytes, long min) {
    if (bytes < min || bytes > 1 << 20) {
      return "must be from " + min + " to 1048576 (1m)";
    }
    return Long.bitCount(bytes) == 1 ? null : "must be a power of two";
  }

  /** {@return the size limit in bytes, or -1 if unset} */
  long maxSizeBytes() {
    return maxSizeBytes;
  }

  /** {@return the sector size in bytes, or -1 if unset} */
  long sectorSizeBytes() {
    return sectorSizeBytes;
  }

  /** {@return the jimfs block size in bytes, or -1 if unset} */
  long blockSizeBytes() {
    return blockSizeBytes;
  }

  /** {@return the options that are set, as spec keys and values in bytes} */
  Map<String, String> asSpecOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    putIfSet(options, MAX_SIZE, maxSizeBytes);
    putIfSet(options, SECTOR_SIZE, sectorSizeBytes);
    putIfSet(options, BLOCK_SIZE, blockSizeBytes);
    return options;
  }

  private static void putIfSet(Map<String, String> options, String key, long value) {
    if (value != UNSET) {
      options.put(key, Long.toString(value));
    }
  }

  @Override
  public String toString() {
    return "MemoryVfsOptions" + asSpecOptions();
  }
}
