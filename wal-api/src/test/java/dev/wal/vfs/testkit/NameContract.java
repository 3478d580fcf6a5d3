package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readFile;
import static dev.wal.vfs.testkit.VfsFixture.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * File names: every method taking a name refuses one that is not plain with an {@link
 * IllegalArgumentException} quoting it, and touches nothing; plain names at the edges work.
 */
interface NameContract extends VfsFixture {

  /** Names that could leave the directory or are not names at all. */
  List<String> HOSTILE_NAMES =
      List.of(
          "",
          ".",
          "..",
          "/",
          "\\",
          "a/b",
          "a\\b",
          "../escape",
          "..\\escape",
          "/etc/passwd",
          "C:\\Windows",
          "a\0b",
          "a\nb",
          "tab\there",
          "bell\u0007",
          "del\u007f",
          "x".repeat(256),
          "\u00e9".repeat(128)); // 128 characters, 256 UTF-8 bytes

  /** {@return the name with control characters as {@code \\uXXXX} escapes} */
  private static String escaped(String name) {
    StringBuilder out = new StringBuilder();
    name.chars()
        .forEach(
            c ->
                out.append(
                    Character.isISOControl(c) ? String.format("\\u%04x", c) : (char) c));
    return out.toString();
  }

  /** {@return whether the message quotes the name, raw or escaped, or calls it empty} */
  private static boolean quotes(String message, String name) {
    if (message == null) {
      return false;
    }
    if (name.isEmpty()) {
      return message.contains("empty") || message.contains("''");
    }
    return message.contains(name)
        || message.toLowerCase(java.util.Locale.ROOT).contains(escaped(name));
  }

  /** A call taking a name. */
  interface NameCall {
    void call(Vfs vfs, String name) throws IOException;
  }

  private void assertRefusesHostileNames(NameCall call) throws IOException {
    List<String> before = vfs().list();
    for (String name : HOSTILE_NAMES) {
      ThrowingCallable attempt = () -> call.call(vfs(), name);
      assertThatThrownBy(attempt)
          .as("name \"%s\"", name.replace("\0", "\\0"))
          .isInstanceOf(IllegalArgumentException.class)
          .matches(e -> quotes(e.getMessage(), name), "message quotes the name");
    }
    assertThat(vfs().list()).isEqualTo(before);
  }

  @Test
  default void openRefusesHostileNames() throws IOException {
    for (OpenMode mode : OpenMode.values()) {
      assertRefusesHostileNames((vfs, name) -> vfs.open(name, mode).close());
    }
  }

  @Test
  default void existsRefusesHostileNames() throws IOException {
    assertRefusesHostileNames(Vfs::exists);
  }

  @Test
  default void deleteRefusesHostileNames() throws IOException {
    assertRefusesHostileNames(Vfs::delete);
  }

  @Test
  default void renameRefusesHostileSourceAndTargetNames() throws IOException {
    writeFile(vfs(), "plain", bytes(3, 1));
    assertRefusesHostileNames((vfs, name) -> vfs.rename("plain", name));
    assertRefusesHostileNames((vfs, name) -> vfs.rename(name, "plain"));
    assertThat(readFile(vfs(), "plain")).isEqualTo(bytes(3, 1));
  }

  @Test
  default void lockRefusesHostileNames() throws IOException {
    assertRefusesHostileNames((vfs, name) -> vfs.lock(name).close());
  }

  @Test
  default void plainNamesAtTheEdgesWorkInEveryMethod() throws IOException {
    String longest = "\u00e9".repeat(127) + "a";
    assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(255);
    List<String> names =
        List.of(longest, "...", ".hidden", "with space", "-dash", "\u00fc\u00f1", "\ud83d\ude00");
    for (String name : names) {
      byte[] content = bytes(5, name.hashCode());
      writeFile(vfs(), name, content);
      assertThat(vfs().exists(name)).as(name).isTrue();
      assertThat(vfs().list()).as(name).contains(name);
      vfs().rename(name, "other");
      vfs().rename("other", name);
      assertThat(readFile(vfs(), name)).as(name).isEqualTo(content);
      vfs().delete(name);
      assertThat(vfs().exists(name)).as(name).isFalse();
      try (VfsLock lock = vfs().lock(name)) {
        assertThat(lock.name()).isEqualTo(name);
      }
    }
  }
}
