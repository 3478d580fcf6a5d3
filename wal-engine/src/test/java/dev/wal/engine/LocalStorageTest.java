package dev.wal.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log on the local backend, in a directory other users may see: what it creates is owner-only,
 * and a symbolic link planted where a segment, the spare or the lock should be is never followed.
 */
class LocalStorageTest {
  @TempDir Path temp;
  private Path directory;
  private Path outside;

  @BeforeEach
  void requirePosix() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "permissions and symbolic links are checked on POSIX file systems");
    directory = temp.resolve("wal");
    outside = Files.writeString(temp.resolve("secret"), "secret");
  }

  private Vfs open() throws IOException {
    return Vfs.open("local:" + directory);
  }

  private void plantLink(String name) throws IOException {
    Files.createDirectories(directory);
    Files.createSymbolicLink(directory.resolve(name), outside);
  }

  private void assertOutsideUntouched() throws IOException {
    assertThat(Files.readString(outside, UTF_8)).isEqualTo("secret");
  }

  @Test
  void theLogDirectoryAndEveryFileTheLogCreatesAreOwnerOnly() throws IOException {
    try (Vfs vfs = open(); WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      for (int i = 0; i < 40; i++) {
        log.append(Payloads.bytes(i, 3000), i); // several segments, and a spare
      }
    }
    assertThat(Files.getPosixFilePermissions(directory))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.toList();
    }
    assertThat(files).hasSizeGreaterThan(3);
    for (Path file : files) {
      assertThat(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
          .as(file.getFileName().toString())
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void aSymbolicLinkPlantedWhereASegmentShouldBeIsNeverFollowed() throws IOException {
    plantLink(SegmentNames.segmentName(1));
    try (Vfs vfs = open()) {
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, WriteAheadLogTest.small()))
          .isInstanceOf(IOException.class);
    }
    assertOutsideUntouched();
    assertThat(Files.isSymbolicLink(directory.resolve(SegmentNames.segmentName(1)))).isTrue();
  }

  @Test
  void symbolicLinksPlantedUnderTheNextSegmentsNamesAreReplacedByRotationNotFollowed()
      throws IOException {
    try (Vfs vfs = open(); WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      log.append(Payloads.text("one"), 1);
      for (long lsn = 2; lsn <= 41; lsn++) {
        plantLink(SegmentNames.segmentName(lsn));
      }
      for (int i = 2; i <= 41; i++) {
        log.append(Payloads.bytes(i, 3000), i); // rotations rename the spare onto the links
      }
    }
    assertOutsideUntouched();
    for (long lsn = 2; lsn <= 41; lsn++) {
      Path path = directory.resolve(SegmentNames.segmentName(lsn));
      if (Files.isSymbolicLink(path)) {
        Files.delete(path); // the links no rotation reached
      }
    }
    try (Vfs vfs = open(); WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      assertThat(SegmentFiles.segments(vfs)).hasSizeGreaterThan(1);
      assertThat(Payloads.readAll(log, 1)).hasSize(41);
    }
  }

  @Test
  void aSymbolicLinkPlantedAsTheSpareSegmentIsRemovedNotFollowed() throws IOException {
    try (Vfs vfs = open(); WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      log.append(Payloads.text("one"), 1);
    }
    Files.deleteIfExists(directory.resolve(SegmentNames.SPARE));
    plantLink(SegmentNames.SPARE);
    try (Vfs vfs = open(); WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
      for (int i = 0; i < 40; i++) {
        log.append(Payloads.bytes(i, 3000), i); // rotations take the spare
      }
      assertThat(Payloads.readAll(log, 1)).hasSize(41);
    }
    assertOutsideUntouched();
  }

  @Test
  void aSymbolicLinkPlantedWhereTheLockShouldBeIsNeverFollowed() throws IOException {
    plantLink(SegmentNames.LOCK);
    try (Vfs vfs = open()) {
      assertThatThrownBy(() -> WriteAheadLog.open(vfs, WriteAheadLogTest.small()))
          .isInstanceOf(IOException.class);
    }
    assertOutsideUntouched();
    assertThat(Files.isSymbolicLink(directory.resolve(SegmentNames.LOCK))).isTrue();
  }
}
