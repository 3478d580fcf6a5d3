package dev.wal.vfs.faulty;

import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SortedSet;

/**
 * Silent faults as overlays over the true data (TigerBeetle's design): misdirected writes, latent
 * sector errors and bit flips change only what reads return, so switching them off shows the true
 * bytes again. Latent sector errors, a property of the medium, also carry over into crash images.
 * Not thread-safe; {@link FaultyVfs} serialises every call.
 */
final class SilentFaults {
  private static final long MISDIRECT = 0x4D495344L;
  private static final long LATENT = 0x4C415445L;
  private static final long BIT_FLIP = 0x464C4950L;
  private static final long GARBAGE = 0x47415242L;

  private final FaultConfig config;
  private final int sectorSize;
  boolean enabled = true;

  SilentFaults(FaultConfig config, int sectorSize) {
    this.config = config;
    this.sectorSize = sectorSize;
  }

  /** {@return where a write should land instead, or -1 to write it where it was aimed} */
  long misdirectTarget(String name, FileNode node, long offset, int length) {
    if (!enabled || config.misdirectProbability == 0 || length == 0) {
      return -1;
    }
    var random = Randoms.keyed(config.seed, MISDIRECT, name, node.writeCount);
    if (random.nextDouble() >= config.misdirectProbability) {
      return -1;
    }
    long sizeAfter = Math.max(node.liveSize, offset + length);
    long slots = (sizeAfter - length) / sectorSize + 1;
    long target = random.nextLong(slots) * sectorSize;
    return target == offset ? -1 : target;
  }

  /** {@return what reads showed for these bytes before a write (overlay included)} */
  static byte[] visibleBytes(VfsFile live, FileNode node, long offset, int length)
      throws IOException {
    byte[] bytes = new byte[length];
    node.readLive(live, offset, bytes, 0, length);
    node.overlay.copyOnto(offset, bytes, 0, length);
    return bytes;
  }

  void afterWrite(FaultyVfs vfs, long index, String name, FileNode node, long offset,
      byte[] data, long misdirectTarget, byte[] oldVisible) {
    long end = offset + data.length;
    node.overlay.removeRange(offset, end);
    long firstWhole = (offset + sectorSize - 1) / sectorSize;
    long endWhole = end / sectorSize;
    if (firstWhole < endWhole) {
      node.badSectors.subSet(firstWhole, endWhole).clear();
    }
    if (misdirectTarget >= 0) {
      node.overlay.put(offset, oldVisible);
      node.overlay.put(misdirectTarget, data.clone());
      vfs.recordFault(index, OpKind.WRITE, name, offset, data.length,
          "misdirected write: landed at offset " + misdirectTarget);
    }
    if (enabled && config.latentSectorProbability > 0 && data.length > 0) {
      var random = Randoms.keyed(config.seed, LATENT, name, node.writeCount);
      if (random.nextDouble() < config.latentSectorProbability) {
        long first = offset / sectorSize;
        long sector = first + random.nextLong((end - 1) / sectorSize - first + 1);
        node.badSectors.add(sector);
        vfs.recordFault(index, OpKind.WRITE, name, sector * sectorSize, sectorSize,
            "latent sector error in sector " + sector);
      }
    }
    node.writeCount++;
  }

  /**
   * Marks bad, in a crash image just written, the sectors that were bad in the files it holds: a
   * power loss heals no sector. Sectors past the end of the image's file are dropped with the
   * bytes they held.
   *
   * @param names the image's files, each with its node in the crashed storage
   * @param sectorSize the crashed storage's sector size
   * @param image the storage over the image
   */
  static void carryBadSectors(Map<String, FileNode> names, int sectorSize, FaultyVfs image) {
    int imageSector = image.sectorSize();
    synchronized (image.operations.lock) {
      for (Map.Entry<String, FileNode> entry : names.entrySet()) {
        FileNode copy = image.namespace.live(entry.getKey());
        for (long bad : entry.getValue().badSectors) {
          long start = bad * sectorSize;
          if (copy == null || start >= copy.liveSize) {
            continue;
          }
          long last = (start + sectorSize - 1) / imageSector;
          for (long sector = start / imageSector; sector <= last; sector++) {
            copy.badSectors.add(sector);
          }
        }
      }
    }
  }

  void afterTruncate(FileNode node, long size) {
    node.overlay.removeRange(size, Long.MAX_VALUE);
    node.badSectors.tailSet((size + sectorSize - 1) / sectorSize).clear();
  }

  /** Applies overlays, latent sector errors and bit flips to {@code count} bytes just read. */
  void onRead(FaultyVfs vfs, long index, String name, FileNode node, long offset,
      ByteBuffer dst, int start, int count) throws IOException {
    long readCount = node.readCount++;
    if (!enabled || count <= 0) {
      return;
    }
    long end = offset + count;
    SortedSet<Long> bad = node.badSectors.subSet(offset / sectorSize, (end - 1) / sectorSize + 1);
    boolean flip = config.bitFlipOnReadProbability > 0
        && Randoms.keyed(config.seed, BIT_FLIP, name, readCount).nextDouble()
            < config.bitFlipOnReadProbability;
    if (bad.isEmpty() && !flip && !node.overlay.overlaps(offset, end)) {
      return;
    }
    if (!bad.isEmpty() && config.latentSectorReadsThrow) {
      throw new InjectedIOException(index, "latent sector error: sector " + bad.first()
          + " (offset " + bad.first() * sectorSize + ") of '" + name + "' cannot be read");
    }
    byte[] bytes = new byte[count];
    dst.get(start, bytes);
    node.overlay.copyOnto(offset, bytes, 0, count);
    for (long sector : bad) {
      var garbage = Randoms.keyed(config.seed, GARBAGE, name, sector);
      long from = Math.max(offset, sector * sectorSize);
      long to = Math.min(end, (sector + 1) * sectorSize);
      for (long i = from; i < to; i++) {
        bytes[(int) (i - offset)] = (byte) garbage.nextInt(256);
      }
      vfs.recordFault(index, OpKind.READ, name, from, to - from, "garbage from latent sector "
          + sector);
    }
    if (flip) {
      var random = Randoms.keyed(config.seed, BIT_FLIP + 1, name, readCount);
      int at = random.nextInt(count);
      int bit = random.nextInt(8);
      bytes[at] ^= (byte) (1 << bit);
      vfs.recordFault(index, OpKind.READ, name, offset + at, 1, "flipped bit " + bit);
    }
    dst.put(start, bytes);
  }
}
