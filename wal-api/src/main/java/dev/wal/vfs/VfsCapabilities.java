package dev.wal.vfs;

/**
 * What a {@link Vfs} promises. The conformance kit checks every claim a backend makes, and the
 * fault-injecting backend uses the sector size to decide how writes tear in a simulated crash.
 *
 * @param sectorSize the unit in which a write may tear when power fails: bytes of one aligned
 *     sector either all reach the disk or may all be lost or damaged; a power of two
 * @param durableFlush {@link VfsFile#flush()} makes data survive a power loss
 * @param directorySync {@link Vfs#syncDirectory()} makes creates, renames and deletes survive a
 *     power loss
 * @param atomicRename {@link Vfs#rename(String, String)} is atomic, also across a crash
 * @param interProcessLock {@link Vfs#lock(String)} excludes other processes, not only this one
 */
public record VfsCapabilities(
    int sectorSize,
    boolean durableFlush,
    boolean directorySync,
    boolean atomicRename,
    boolean interProcessLock) {

  /**
   * Checks the values.
   *
   * @param sectorSize the tear unit, a positive power of two
   * @param durableFlush whether flush survives a power loss
   * @param directorySync whether directory sync survives a power loss
   * @param atomicRename whether rename is atomic
   * @param interProcessLock whether locks exclude other processes
   *
   * @throws IllegalArgumentException if {@code sectorSize} is not a positive power of two
   */
  public VfsCapabilities {
    if (sectorSize <= 0 || Integer.bitCount(sectorSize) != 1) {
      throw new IllegalArgumentException(
          "sectorSize (" + sectorSize + ") must be a positive power of two");
    }
  }
}
