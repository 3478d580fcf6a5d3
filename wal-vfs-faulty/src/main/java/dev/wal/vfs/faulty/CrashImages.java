package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.List;
import java.util.TreeMap;

/**
 * Takes the crash images of one {@link FaultyVfs}: draws each crash's seed (from the options, or
 * else from the storage's seed and how many crashes it took), has a {@link CrashImageWriter} write
 * what survives into the target, marks the crash in the trace and wraps the image, with the
 * latent sector errors carried over, in a faulty storage of its own.
 *
 * <p>Not thread-safe: the owning {@link FaultyVfs} holds its lock throughout {@link #take}.
 */
final class CrashImages {
  private final FaultyVfs vfs;
  private long crashCount;

  CrashImages(FaultyVfs vfs) {
    this.vfs = vfs;
  }

  /** Writes a crash image, as {@link FaultyVfs#crash(CrashOptions, Vfs)} on an open storage. */
  FaultyVfs take(CrashOptions options, Vfs target) throws IOException {
    List<String> existing = target.list();
    if (!existing.isEmpty()) {
      throw new IllegalArgumentException(
          "crash image target " + target.spec() + " is not empty: " + existing);
    }
    FaultConfig config = vfs.config();
    long seed = options.seed != null ? options.seed : Randoms.mix(config.seed ^ ++crashCount);
    vfs.files.adoptUnknown();
    int sector = options.sectorSize > 0 ? options.sectorSize : vfs.sectorSize();
    CrashImageWriter writer = new CrashImageWriter(vfs.inner(), options, seed, sector);
    TreeMap<String, FileNode> names = writer.survivingNames(vfs.namespace);
    writer.write(names, target);
    FaultConfig imageConfig = options.imageConfig != null
        ? options.imageConfig
        : FaultConfig.builder().seed(Randoms.mix(seed)).sectorSize(config.sectorSize).build();
    vfs.mark("crash image (" + options + ", seed " + seed + ") of " + names.keySet() + " into "
        + target.spec());
    FaultyVfs image = FaultyVfs.wrap(target, imageConfig);
    SilentFaults.carryBadSectors(names, vfs.sectorSize(), image);
    return image;
  }
}
