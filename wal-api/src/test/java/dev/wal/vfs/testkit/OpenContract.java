package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readFile;
import static dev.wal.vfs.testkit.VfsFixture.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** {@link dev.wal.vfs.Vfs#open(String, OpenMode)} in its three modes. */
interface OpenContract extends VfsFixture {

  @Test
  default void openExistingOfAMissingFileThrowsNoSuchFileException() {
    assertThatThrownBy(() -> vfs().open("missing", OpenMode.EXISTING))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
  }

  @Test
  default void openExistingOpensTheFileWithItsContent() throws IOException {
    writeFile(vfs(), "a", bytes(10, 1));
    try (VfsFile file = vfs().open("a", OpenMode.EXISTING)) {
      assertThat(file.name()).isEqualTo("a");
      assertThat(file.size()).isEqualTo(10);
    }
  }

  @Test
  default void createNewOfAnExistingFileThrowsFileAlreadyExistsAndKeepsIt() throws IOException {
    writeFile(vfs(), "a", bytes(10, 2));
    assertThatThrownBy(() -> vfs().open("a", OpenMode.CREATE_NEW))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("a");
    assertThat(readFile(vfs(), "a")).isEqualTo(bytes(10, 2));
  }

  @Test
  default void createNewCreatesAnEmptyFileThatExistsAndIsListed() throws IOException {
    try (VfsFile file = vfs().open("a", OpenMode.CREATE_NEW)) {
      assertThat(file.size()).isZero();
      assertThat(vfs().exists("a")).isTrue();
      assertThat(vfs().list()).containsExactly("a");
    }
  }

  @Test
  default void createOpensAnExistingFileWithoutTruncatingIt() throws IOException {
    writeFile(vfs(), "a", bytes(10, 3));
    try (VfsFile file = vfs().open("a", OpenMode.CREATE)) {
      assertThat(file.size()).isEqualTo(10);
    }
    assertThat(readFile(vfs(), "a")).isEqualTo(bytes(10, 3));
  }

  @Test
  default void createCreatesAMissingFileEmpty() throws IOException {
    try (VfsFile file = vfs().open("a", OpenMode.CREATE)) {
      assertThat(file.size()).isZero();
    }
    assertThat(vfs().exists("a")).isTrue();
  }

  @Test
  default void twoHandlesOfOneFileCanBeOpenAtOnce() throws IOException {
    try (VfsFile first = vfs().open("a", OpenMode.CREATE_NEW);
        VfsFile second = vfs().open("a", OpenMode.EXISTING)) {
      assertThat(first.name()).isEqualTo(second.name());
    }
  }
}
