package dev.wal.vfs;

import java.nio.charset.StandardCharsets;

/** Checks that a file name is a plain name that cannot leave its directory. */
final class FileNames {
  static final int MAX_NAME_BYTES = 255;

  private FileNames() {}

  static String check(String name) {
    if (name == null) {
      throw new NullPointerException("file name");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("file name is empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("file name '" + name + "' names a directory");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        throw new IllegalArgumentException(
            "file name '" + printable(name) + "' contains a path separator at index " + i);
      }
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "file name '" + printable(name) + "' contains control character U+"
                + String.format("%04X", (int) c) + " at index " + i);
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < name.length()
              && Character.isLowSurrogate(name.charAt(i + 1)))
          && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1)))) {
        throw new IllegalArgumentException(
            "file name '" + printable(name) + "' contains an unpaired surrogate at index " + i);
      }
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "file name '" + name + "' is " + bytes + " UTF-8 bytes; at most " + MAX_NAME_BYTES
              + " are allowed");
    }
    return name;
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
