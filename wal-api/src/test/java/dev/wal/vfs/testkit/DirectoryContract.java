package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readFile;
import static dev.wal.vfs.testkit.VfsFixture.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Vfs}'s directory operations: list, exists, delete, rename and syncDirectory. */
interface DirectoryContract extends VfsFixture {

  @Test
  default void aNewVfsIsEmpty() throws IOException {
    assertThat(vfs().list()).isEmpty();
    assertThat(vfs().exists("a")).isFalse();
  }

  @Test
  default void listIsSortedByStringCompareTo() throws IOException {
    List<String> names =
        List.of("b", "a", "Bz", "a.1", "a0", "wal-00000000000000000010.seg",
            "wal-00000000000000000002.seg", "\u00e9", "Z", "_");
    for (String name : names) {
      writeFile(vfs(), name, new byte[0]);
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertThat(vfs().list()).isEqualTo(sorted);
  }

  @Test
  default void existsTellsWhetherAFileIsThere() throws IOException {
    writeFile(vfs(), "a", bytes(1, 1));
    assertThat(vfs().exists("a")).isTrue();
    assertThat(vfs().exists("b")).isFalse();
  }

  @Test
  default void deleteRemovesTheFile() throws IOException {
    writeFile(vfs(), "a", bytes(1, 2));
    writeFile(vfs(), "b", bytes(1, 3));
    vfs().delete("a");
    assertThat(vfs().exists("a")).isFalse();
    assertThat(vfs().list()).containsExactly("b");
  }

  @Test
  default void deleteOfAMissingFileThrowsNoSuchFileException() {
    assertThatThrownBy(() -> vfs().delete("missing"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
  }

  @Test
  default void renameMovesTheContentToTheNewName() throws IOException {
    writeFile(vfs(), "source", bytes(100, 4));
    vfs().rename("source", "target");
    assertThat(vfs().list()).containsExactly("target");
    assertThat(readFile(vfs(), "target")).isEqualTo(bytes(100, 4));
  }

  @Test
  default void renameReplacesAnExistingTarget() throws IOException {
    writeFile(vfs(), "source", bytes(100, 5));
    writeFile(vfs(), "target", bytes(300, 6));
    vfs().rename("source", "target");
    assertThat(vfs().list()).containsExactly("target");
    assertThat(readFile(vfs(), "target")).isEqualTo(bytes(100, 5));
  }

  @Test
  default void renameOfAMissingSourceThrowsNoSuchFileExceptionAndLeavesTheTarget()
      throws IOException {
    writeFile(vfs(), "target", bytes(10, 7));
    assertThatThrownBy(() -> vfs().rename("missing", "target"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
    assertThat(readFile(vfs(), "target")).isEqualTo(bytes(10, 7));
  }

  @Test
  default void syncDirectoryReturnsAfterCreatesRenamesAndDeletes() throws IOException {
    vfs().syncDirectory();
    writeFile(vfs(), "a", bytes(10, 8));
    writeFile(vfs(), "b", bytes(10, 9));
    vfs().syncDirectory();
    vfs().rename("a", "c");
    vfs().delete("b");
    vfs().syncDirectory();
    assertThat(vfs().list()).containsExactly("c");
  }

  @Test
  default void aSecondVfsOnTheSameStorageSeesTheSameFiles() throws IOException {
    writeFile(vfs(), "a", bytes(10, 10));
    Vfs second = openSecondVfs();
    assertThat(second.list()).containsExactly("a");
    assertThat(readFile(second, "a")).isEqualTo(bytes(10, 10));
  }

  @Test
  default void specAndCapabilitiesAreStable() throws IOException {
    assertThat(vfs().spec()).isNotBlank();
    assertThat(openSecondVfs().capabilities()).isEqualTo(vfs().capabilities());
  }
}
