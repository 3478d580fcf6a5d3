package dev.wal.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.ChannelVfsFile;
import dev.wal.vfs.OutOfSpaceException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local backend adds to the contract: opening, options, capabilities, full disks. */
class LocalVfsTest {
  @TempDir Path temp;

  @Test
  void aLocalSpecOpensThatDirectoryOfTheDefaultFileSystem() throws IOException {
    Path directory = temp.resolve("wal");
    try (Vfs vfs = Vfs.open("local:" + directory)) {
      assertThat(vfs).isInstanceOf(LocalVfs.class);
      assertThat(vfs.spec()).isEqualTo("local:" + directory.toAbsolutePath());
      assertThat(Files.isDirectory(directory)).isTrue();
    }
  }

  @Test
  void aMissingDirectoryIsCreatedWithItsParents() throws IOException {
    Path directory = temp.resolve("a/b/c");
    try (Vfs vfs = LocalVfs.open(directory)) {
      assertThat(Files.isDirectory(directory)).isTrue();
      assertThat(vfs.list()).isEmpty();
    }
  }

  @Test
  void aMissingDirectoryIsRefusedWhenCreateDirectoryIsOff() {
    Path directory = temp.resolve("missing");
    assertThatThrownBy(() -> Vfs.open("local:" + directory + "?createDirectory=false"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(directory.toString())
        .hasMessageContaining("createDirectory=false");
    assertThat(Files.exists(directory)).isFalse();
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsRefused() throws IOException {
    Path file = Files.createFile(temp.resolve("file"));
    assertThatThrownBy(() -> LocalVfs.open(file))
        .isInstanceOf(NotDirectoryException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void onTheDefaultFileSystemFlushSyncAndLocksAreClaimed() throws IOException {
    assumeFalse(
        System.getProperty("os.name").startsWith("Windows"),
        "Windows cannot open a directory to force it");
    try (Vfs vfs = LocalVfs.open(temp)) {
      assertThat(vfs.capabilities()).isEqualTo(new VfsCapabilities(512, true, true, true, true));
    }
  }

  @Test
  void onJimfsOnlyAtomicRenameIsClaimed() throws IOException {
    for (Configuration configuration : List.of(Configuration.unix(), Configuration.windows())) {
      try (FileSystem fileSystem = Jimfs.newFileSystem(configuration);
          Vfs vfs = LocalVfs.open(fileSystem.getPath("wal"))) {
        assertThat(vfs.capabilities())
            .isEqualTo(new VfsCapabilities(512, false, false, true, false));
        vfs.syncDirectory();
      }
    }
  }

  @Test
  void sectorSizeOptionSetsTheClaimedSectorSize() throws IOException {
    try (Vfs vfs = Vfs.open("local:" + temp + "?sectorSize=4k")) {
      assertThat(vfs.capabilities().sectorSize()).isEqualTo(4096);
      assertThat(vfs.spec()).isEqualTo("local:" + temp + "?sectorSize=4096");
    }
    try (Vfs vfs = LocalVfs.open(temp, LocalVfsOptions.defaults().withSectorSize(8192))) {
      assertThat(vfs.capabilities().sectorSize()).isEqualTo(8192);
    }
  }

  @Test
  void badOptionValuesAreRefusedNamingKeyAndValue() {
    assertThatThrownBy(() -> Vfs.open("local:" + temp + "?sectorSize=1000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sectorSize=1000");
    assertThatThrownBy(() -> Vfs.open("local:" + temp + "?createDirectory=maybe"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createDirectory=maybe");
    assertThatThrownBy(() -> Vfs.open("local:" + temp + "?mode=fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mode");
    assertThatThrownBy(() -> Vfs.open("local:/tmp/a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a path");
    assertThatThrownBy(() -> LocalVfsOptions.defaults().withSectorSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sectorSize (0)");
  }

  @Test
  void aWritePastJimfsMaxSizeThrowsOutOfSpaceSayingHowMuchReachedTheFile() throws IOException {
    Configuration small =
        Configuration.unix().toBuilder().setBlockSize(4096).setMaxSize(64 * 1024).build();
    try (FileSystem fileSystem = Jimfs.newFileSystem(small);
        Vfs vfs = LocalVfs.open(fileSystem.getPath("wal"));
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(128 * 1024)))
          .isInstanceOf(OutOfSpaceException.class)
          .hasMessageContaining("'a'")
          .hasMessageContaining("bytes of this write reached the file");
    }
  }

  @Test
  void theSystemsNoSpaceMessagesAreRecognisedAndOthersAreNot() {
    assertThat(ChannelVfsFile.isOutOfSpace(new IOException("No space left on device"))).isTrue();
    assertThat(ChannelVfsFile.isOutOfSpace(new IOException("There is not enough space on the disk")))
        .isTrue();
    assertThat(ChannelVfsFile.isOutOfSpace(new IOException("Input/output error"))).isFalse();
    assertThat(ChannelVfsFile.isOutOfSpace(new IOException((String) null))).isFalse();
  }

  @Test
  void aLockIsHeldWhateverPathReachesItsDirectory() throws IOException {
    Path real = Files.createDirectory(temp.resolve("real"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), real);
    try (Vfs viaReal = LocalVfs.open(real);
        Vfs viaLink = LocalVfs.open(link);
        VfsLock lock = viaReal.lock("LOCK")) {
      assertThatThrownBy(() -> viaLink.lock("LOCK"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("LOCK");
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  void aReleasedLockLeavesItsLockFile() throws IOException {
    try (Vfs vfs = LocalVfs.open(temp)) {
      vfs.lock("LOCK").close();
      assertThat(vfs.list()).containsExactly("LOCK");
    }
  }
}
