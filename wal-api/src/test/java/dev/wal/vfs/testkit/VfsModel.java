package dev.wal.vfs.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference a random sequence of operations is checked against: a sorted map from names to
 * byte arrays. Not thread-safe.
 */
final class VfsModel {
  private final Map<String, byte[]> files = new TreeMap<>();

  boolean exists(String name) {
    return files.containsKey(name);
  }

  List<String> list() {
    return List.copyOf(files.keySet());
  }

  byte[] content(String name) {
    return files.get(name);
  }

  long size(String name) {
    return files.get(name).length;
  }

  void create(String name) {
    files.putIfAbsent(name, new byte[0]);
  }

  void write(String name, long offset, byte[] bytes) {
    byte[] old = files.get(name);
    if (bytes.length == 0) {
      return; // an empty write changes nothing, not even the size
    }
    int end = Math.toIntExact(offset + bytes.length);
    byte[] updated = end > old.length ? Arrays.copyOf(old, end) : old;
    System.arraycopy(bytes, 0, updated, (int) offset, bytes.length);
    files.put(name, updated);
  }

  /** {@return the bytes a read of up to {@code length} at {@code offset} gives, or null at EOF} */
  byte[] read(String name, long offset, int length) {
    byte[] content = files.get(name);
    if (offset >= content.length) {
      return null;
    }
    int end = (int) Math.min(content.length, offset + length);
    return Arrays.copyOfRange(content, (int) offset, end);
  }

  void truncate(String name, long size) {
    byte[] content = files.get(name);
    if (size < content.length) {
      files.put(name, Arrays.copyOf(content, (int) size));
    }
  }

  void rename(String source, String target) {
    files.put(target, files.remove(source));
  }

  void delete(String name) {
    files.remove(name);
  }
}
