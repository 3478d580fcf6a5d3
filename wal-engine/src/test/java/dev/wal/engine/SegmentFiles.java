package dev.wal.engine;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Raw access to a log's files for tests that damage them as a crash or a disk would. */
final class SegmentFiles {
  private SegmentFiles() {}

  static List<String> segments(Vfs vfs) throws IOException {
    return vfs.list().stream().filter(n -> SegmentNames.parseSegmentName(n) > 0).toList();
  }

  /** {@return the segment names among {@code names}, oldest first} */
  static List<String> segmentNames(java.util.Collection<String> names) {
    return names.stream().filter(n -> SegmentNames.parseSegmentName(n) > 0).sorted().toList();
  }

  static String lastSegment(Vfs vfs) throws IOException {
    List<String> segments = segments(vfs);
    return segments.get(segments.size() - 1);
  }

  static byte[] read(Vfs vfs, String name) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
      file.readFully(0, bytes);
      return bytes.array();
    }
  }

  static void write(Vfs vfs, String name, byte[] content) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      file.truncate(content.length);
      file.write(0, ByteBuffer.wrap(content));
      file.flush();
    }
  }

  /** {@return every file's content, for checking that nothing changed} */
  static Map<String, byte[]> snapshot(Vfs vfs) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : vfs.list()) {
      if (!name.equals(SegmentNames.LOCK)) {
        files.put(name, read(vfs, name));
      }
    }
    return files;
  }

  /** {@return the offsets [start, end) of record {@code lsn} in segment {@code name}} */
  static long[] recordRange(Vfs vfs, String name, long lsn) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      SegmentScanner scanner =
          SegmentScanner.open(file, name, SegmentNames.parseSegmentName(name), 1 << 16);
      SegmentCheck check = new SegmentCheck(scanner, Integer.MAX_VALUE);
      check.run(lsn - 1);
      long position = check.position;
      scanner.decodeAt(position, Integer.MAX_VALUE);
      if (scanner.decoder().isTrailer()) {
        position += scanner.decoder().recordBytes();
        scanner.decodeAt(position, Integer.MAX_VALUE);
      }
      if (scanner.decoder().lsn != lsn) {
        throw new IllegalStateException("record " + lsn + " not found in " + name);
      }
      return new long[] {position, position + scanner.decoder().recordBytes()};
    }
  }
}
