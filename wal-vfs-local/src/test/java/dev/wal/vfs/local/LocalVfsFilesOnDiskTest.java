package dev.wal.vfs.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files on the default file system: owner-only permissions and planted symbolic links. */
class LocalVfsFilesOnDiskTest {
  @TempDir Path temp;

  @BeforeEach
  void requirePosix() {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "permissions and symbolic links are checked on POSIX file systems");
  }

  private static Set<PosixFilePermission> permissions(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void theDirectoryFilesAndLockFilesCreatedAreOwnerOnly() throws IOException {
    Path directory = temp.resolve("wal");
    try (Vfs vfs = LocalVfs.open(directory)) {
      vfs.open("CREATE", OpenMode.CREATE).close();
      vfs.open("CREATE_NEW", OpenMode.CREATE_NEW).close();
      vfs.lock("LOCK").close();
    }
    assertThat(permissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    for (String name : new String[] {"CREATE", "CREATE_NEW", "LOCK"}) {
      assertThat(permissions(directory.resolve(name)))
          .as(name)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void withOwnerOnlyOffFilesGetTheProcessDefaultPermissions() throws IOException {
    Path reference = Files.createFile(temp.resolve("reference"));
    try (Vfs vfs = Vfs.open("local:" + temp + "?ownerOnly=false")) {
      vfs.open("a", OpenMode.CREATE_NEW).close();
    }
    assertThat(permissions(temp.resolve("a"))).isEqualTo(permissions(reference));
  }

  @Test
  void existingFilesKeepTheirPermissions() throws IOException {
    Path file = Files.createFile(temp.resolve("a"));
    Set<PosixFilePermission> before = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(file, before);
    try (Vfs vfs = LocalVfs.open(temp)) {
      vfs.open("a", OpenMode.CREATE).close();
    }
    assertThat(permissions(file)).isEqualTo(before);
  }

  private Path plantLink(String name) throws IOException {
    Path outside = Files.writeString(temp.resolve("outside"), "secret", UTF_8);
    Files.createDirectories(temp.resolve("wal"));
    Files.createSymbolicLink(temp.resolve("wal").resolve(name), outside);
    return outside;
  }

  @Test
  void aSymbolicLinkPlantedWhereAFileShouldBeIsNeverFollowed() throws IOException {
    Path outside = plantLink("seg");
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"))) {
      for (OpenMode mode : new OpenMode[] {OpenMode.EXISTING, OpenMode.CREATE}) {
        assertThatThrownBy(() -> vfs.open("seg", mode))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("seg")
            .hasMessageContaining("a symbolic link stands where the file should be");
      }
      assertThatThrownBy(() -> vfs.open("seg", OpenMode.CREATE_NEW))
          .isInstanceOf(FileAlreadyExistsException.class);
      vfs.delete("seg");
      assertThat(vfs.list()).isEmpty();
    }
    assertThat(Files.readString(outside, UTF_8)).isEqualTo("secret");
  }

  @Test
  void aSymbolicLinkPlantedWhereTheLockShouldBeIsNeverFollowed() throws IOException {
    Path outside = plantLink("LOCK");
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"))) {
      assertThatThrownBy(() -> vfs.lock("LOCK"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("LOCK")
          .hasMessageContaining("a symbolic link stands where the file should be");
    }
    assertThat(Files.readString(outside, UTF_8)).isEqualTo("secret");
    assertThat(Files.isSymbolicLink(temp.resolve("wal/LOCK"))).isTrue();
  }

  @Test
  void renamingOntoAPlantedLinkReplacesTheLinkNotItsTarget() throws IOException {
    Path outside = plantLink("target");
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"))) {
      try (VfsFile file = vfs.open("source", OpenMode.CREATE_NEW)) {
        file.write(0, java.nio.ByteBuffer.wrap("mine".getBytes(UTF_8)));
      }
      vfs.rename("source", "target");
    }
    assertThat(Files.isSymbolicLink(temp.resolve("wal/target"))).isFalse();
    assertThat(Files.readString(temp.resolve("wal/target"), UTF_8)).isEqualTo("mine");
    assertThat(Files.readString(outside, UTF_8)).isEqualTo("secret");
  }
}
