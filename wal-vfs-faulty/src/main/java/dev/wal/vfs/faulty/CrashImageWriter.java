package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a crash image: for each name that survives, the file's durable bytes followed by the
 * unflushed writes and truncates that survive, some torn at the sector size.
 *
 * <p>Every random choice comes from one generator, consumed in a fixed order (names sorted, each
 * file's operations in the order they happened), so the same seed and the same operations give a
 * byte-identical image. Not thread-safe; {@link FaultyVfs} holds its lock throughout.
 */
final class CrashImageWriter {
  private static final int CHUNK_BYTES = 64 * 1024;

  private final Vfs live;
  private final CrashOptions options;
  private final SplittableRandom random;
  private final int sectorSize;
  private final List<CrashOptions.TornFill> fills;
  private final List<CrashOptions.TornFill> damageFills = new ArrayList<>();

  CrashImageWriter(Vfs live, CrashOptions options, long seed, int sectorSize) {
    this.live = live;
    this.options = options;
    this.random = new SplittableRandom(seed);
    this.sectorSize = sectorSize;
    this.fills = new ArrayList<>(new java.util.TreeSet<>(options.tornFills));
    for (CrashOptions.TornFill fill : fills) {
      if (fill != CrashOptions.TornFill.OLD_DATA) {
        damageFills.add(fill);
      }
    }
  }

  /** Picks the names that survive: a prefix of the directory changes, per the options. */
  TreeMap<String, FileNode> survivingNames(Namespace namespace) {
    if (options.mode == CrashOptions.Mode.PROCESS_CRASH) {
      return namespace.liveNames();
    }
    int changes = namespace.changeCount();
    int kept = switch (options.directoryChanges) {
      case KEEP -> changes;
      case REVERT -> 0;
      case PREFIX -> random.nextInt(changes + 1);
    };
    return namespace.afterChanges(kept);
  }

  void write(TreeMap<String, FileNode> names, Vfs target) throws IOException {
    for (Map.Entry<String, FileNode> entry : names.entrySet()) {
      FileNode node = entry.getValue();
      try (VfsFile source = live.open(node.innerName, Vfs.OpenMode.EXISTING);
          VfsFile out = target.open(entry.getKey(), Vfs.OpenMode.CREATE_NEW)) {
        if (options.mode == CrashOptions.Mode.PROCESS_CRASH) {
          copy(node, source, out, node.liveSize, false);
        } else {
          copy(node, source, out, node.durableSize, true);
          replay(node, out);
        }
        out.flush();
      }
    }
    target.syncDirectory();
  }

  private static void copy(FileNode node, VfsFile source, VfsFile out, long size, boolean durable)
      throws IOException {
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(size, 1))];
    for (long offset = 0; offset < size; offset += chunk.length) {
      int length = (int) Math.min(chunk.length, size - offset);
      if (durable) {
        node.readDurable(source, offset, chunk, 0, length);
      } else {
        node.readLive(source, offset, chunk, 0, length);
      }
      out.write(offset, ByteBuffer.wrap(chunk, 0, length));
    }
  }

  private void replay(FileNode node, VfsFile out) throws IOException {
    for (FileNode.Pending op : node.pending()) {
      boolean survives = switch (options.unflushed) {
        case ALL -> true;
        case NONE -> false;
        case SUBSET -> random.nextDouble() < options.survivalProbability;
      };
      if (!survives) {
        continue;
      }
      if (op.data() == null) {
        out.truncate(op.truncateTo());
      } else if (random.nextDouble() < options.tornProbability) {
        writeTorn(out, op.offset(), op.data());
      } else {
        out.write(op.offset(), ByteBuffer.wrap(op.data()));
      }
    }
  }

  /** Writes each sector's part whole or not at all, damaging torn sectors as the options say. */
  private void writeTorn(VfsFile out, long offset, byte[] data) throws IOException {
    long end = offset + data.length;
    for (long sectorStart = offset - offset % sectorSize; sectorStart < end;
        sectorStart += sectorSize) {
      long from = Math.max(offset, sectorStart);
      long to = Math.min(end, sectorStart + sectorSize);
      byte[] part = java.util.Arrays.copyOfRange(data, (int) (from - offset), (int) (to - offset));
      if (random.nextBoolean()) {
        out.write(from, ByteBuffer.wrap(part));
        continue;
      }
      long sizeBefore = out.size();
      fillTorn(out, from, part, fills.get(random.nextInt(fills.size())), sizeBefore);
      if (random.nextDouble() < options.neighbourDamageProbability && !damageFills.isEmpty()) {
        CrashOptions.TornFill damage = damageFills.get(random.nextInt(damageFills.size()));
        long sectorEnd = Math.min(sectorStart + sectorSize, out.size());
        damage(out, sectorStart, from, damage);
        damage(out, to, sectorEnd, damage);
      }
    }
  }

  private void fillTorn(VfsFile out, long from, byte[] part, CrashOptions.TornFill fill,
      long sizeBefore) throws IOException {
    switch (fill) {
      case ZEROS -> out.write(from, ByteBuffer.wrap(new byte[part.length]));
      case GARBAGE -> out.write(from, ByteBuffer.wrap(garbage(part.length)));
      case OLD_DATA -> {
        // The old bytes stay; past the old end there were none, so the file grows with zeros.
        long to = from + part.length;
        if (to > sizeBefore) {
          long start = Math.max(from, sizeBefore);
          out.write(start, ByteBuffer.wrap(new byte[(int) (to - start)]));
        }
      }
    }
  }

  private void damage(VfsFile out, long from, long to, CrashOptions.TornFill fill)
      throws IOException {
    if (from >= to) {
      return;
    }
    int length = (int) (to - from);
    byte[] bytes = fill == CrashOptions.TornFill.ZEROS ? new byte[length] : garbage(length);
    out.write(from, ByteBuffer.wrap(bytes));
  }

  private byte[] garbage(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }
}
