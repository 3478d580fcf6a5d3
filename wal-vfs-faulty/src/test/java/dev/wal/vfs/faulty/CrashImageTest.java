package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.durableFile;
import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.read;
import static dev.wal.vfs.faulty.Files.readAll;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrashImageTest {
  private static final int SECTOR = 512;
  private static final CrashOptions WHOLE_WRITES =
      CrashOptions.powerLoss().torn(0, 0, Set.of(CrashOptions.TornFill.ZEROS));

  @Test
  void writesBeforeAFlushSurviveEveryCrashAndLaterOnesOnlySome() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "log", filled(1000, 'a'));
      VfsFile file = vfs.open("log", Vfs.OpenMode.EXISTING);
      write(file, 1000, filled(1000, 'b'));
      Set<Integer> sizes = new HashSet<>();
      for (long seed = 0; seed < 40; seed++) {
        try (FaultyVfs image = vfs.crash(CrashOptions.powerLoss().seed(seed), Files.freshStorage())) {
          byte[] content = readAll(image, "log");
          assertThat(Arrays.copyOf(content, 1000)).as("seed %s", seed).isEqualTo(filled(1000, 'a'));
          sizes.add(content.length);
        }
      }
      assertThat(sizes).containsExactlyInAnyOrder(1000, 2000);
    }
  }

  @Test
  void unflushedAllKeepsEveryWriteAndNoneKeepsOnlyFlushedData() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(10, 'a'));
      VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING);
      write(file, 10, filled(10, 'b'));
      write(file, 0, filled(5, 'c'));
      CrashOptions all = WHOLE_WRITES.unflushed(CrashOptions.Unflushed.ALL, 0);
      try (FaultyVfs image = vfs.crash(all, Files.freshStorage())) {
        assertThat(new String(readAll(image, "f"))).isEqualTo("cccccaaaaabbbbbbbbbb");
      }
      CrashOptions none = WHOLE_WRITES.unflushed(CrashOptions.Unflushed.NONE, 0);
      try (FaultyVfs image = vfs.crash(none, Files.freshStorage())) {
        assertThat(new String(readAll(image, "f"))).isEqualTo("aaaaaaaaaa");
      }
    }
  }

  @Test
  void anySubsetOfUnflushedWritesSurvivesNotOnlyAPrefix() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(3, '-'));
      VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING);
      write(file, 0, new byte[] {'x'});
      write(file, 1, new byte[] {'y'});
      write(file, 2, new byte[] {'z'});
      Set<String> images = new HashSet<>();
      for (long seed = 0; seed < 100; seed++) {
        try (FaultyVfs image = vfs.crash(WHOLE_WRITES.seed(seed), Files.freshStorage())) {
          images.add(new String(readAll(image, "f")));
        }
      }
      assertThat(images).hasSize(8).contains("-y-", "x-z", "---", "xyz");
    }
  }

  @Test
  void aTruncateNotFlushedMayBeUndoneAndUndoneTruncatesRestoreTheDurableBytes() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(2000, 'a'));
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        file.truncate(100);
        write(file, 100, filled(50, 'b'));
      }
      CrashOptions none = WHOLE_WRITES.unflushed(CrashOptions.Unflushed.NONE, 0);
      try (FaultyVfs image = vfs.crash(none, Files.freshStorage())) {
        assertThat(readAll(image, "f")).isEqualTo(filled(2000, 'a'));
      }
      CrashOptions all = WHOLE_WRITES.unflushed(CrashOptions.Unflushed.ALL, 0);
      try (FaultyVfs image = vfs.crash(all, Files.freshStorage())) {
        byte[] content = readAll(image, "f");
        assertThat(content).hasSize(150);
        assertThat(Arrays.copyOfRange(content, 100, 150)).isEqualTo(filled(50, 'b'));
      }
    }
  }

  @Test
  void aTornWriteLeavesWholeSectorsOfNewZeroOrOldData() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(4 * SECTOR, 'o'));
      VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING);
      write(file, 0, filled(4 * SECTOR, 'n'));
      CrashOptions torn = CrashOptions.powerLoss()
          .unflushed(CrashOptions.Unflushed.ALL, 0)
          .torn(1, 0, Set.of(CrashOptions.TornFill.ZEROS, CrashOptions.TornFill.OLD_DATA));
      Set<Byte> seen = new HashSet<>();
      for (long seed = 0; seed < 30; seed++) {
        try (FaultyVfs image = vfs.crash(torn.seed(seed), Files.freshStorage())) {
          byte[] content = readAll(image, "f");
          for (int sector = 0; sector < 4; sector++) {
            byte[] bytes = Arrays.copyOfRange(content, sector * SECTOR, (sector + 1) * SECTOR);
            byte first = bytes[0];
            assertThat(bytes).as("seed %s sector %s", seed, sector).isEqualTo(filled(SECTOR, first));
            assertThat(first).isIn((byte) 'n', (byte) 'o', (byte) 0);
            seen.add(first);
          }
        }
      }
      assertThat(seen).containsExactlyInAnyOrder((byte) 'n', (byte) 'o', (byte) 0);
    }
  }

  @Test
  void aTornSectorFilledWithGarbageHoldsNeitherOldNorNewBytes() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(8 * SECTOR, 'o'));
      VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING);
      write(file, 0, filled(8 * SECTOR, 'n'));
      CrashOptions garbage = CrashOptions.powerLoss().seed(7)
          .unflushed(CrashOptions.Unflushed.ALL, 0)
          .torn(1, 0, Set.of(CrashOptions.TornFill.GARBAGE));
      try (FaultyVfs image = vfs.crash(garbage, Files.freshStorage())) {
        byte[] content = readAll(image, "f");
        int garbageSectors = 0;
        for (int sector = 0; sector < 8; sector++) {
          byte[] bytes = Arrays.copyOfRange(content, sector * SECTOR, (sector + 1) * SECTOR);
          if (!Arrays.equals(bytes, filled(SECTOR, 'n'))) {
            garbageSectors++;
            assertThat(bytes).isNotEqualTo(filled(SECTOR, 'o'));
          }
        }
        assertThat(garbageSectors).isPositive();
      }
    }
  }

  @Test
  void aTornSectorCanDestroyFlushedBytesOfTheSameSectorButNoOthers() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "f", filled(SECTOR + 100, 'a'));
      VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING);
      write(file, SECTOR + 100, filled(100, 'b'));
      CrashOptions damaging = CrashOptions.powerLoss()
          .unflushed(CrashOptions.Unflushed.ALL, 0)
          .torn(1, 1, Set.of(CrashOptions.TornFill.ZEROS));
      boolean damaged = false;
      for (long seed = 0; seed < 20; seed++) {
        try (FaultyVfs image = vfs.crash(damaging.seed(seed), Files.freshStorage())) {
          byte[] content = readAll(image, "f");
          assertThat(Arrays.copyOf(content, SECTOR)).isEqualTo(filled(SECTOR, 'a'));
          damaged |= !Arrays.equals(
              Arrays.copyOfRange(content, SECTOR, SECTOR + 100), filled(100, 'a'));
        }
      }
      assertThat(damaged).as("flushed bytes sharing the torn sector were damaged").isTrue();
    }
  }

  @Test
  void aRenameOverAFileNotFollowedByADirectorySyncCanRevertToTheOldFileInFull()
      throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "current", filled(3000, 'o'));
      try (VfsFile tmp = vfs.open("tmp", Vfs.OpenMode.CREATE_NEW)) {
        write(tmp, 0, filled(10, 'n'));
        tmp.flush();
      }
      vfs.rename("tmp", "current");
      assertThat(vfs.list()).containsExactly("current");
      Set<Integer> sizes = new HashSet<>();
      for (long seed = 0; seed < 30; seed++) {
        try (FaultyVfs image = vfs.crash(CrashOptions.powerLoss().seed(seed), Files.freshStorage())) {
          byte[] content = readAll(image, "current");
          assertThat(content).isIn((Object) filled(3000, 'o'), (Object) filled(10, 'n'));
          sizes.add(content.length);
        }
      }
      assertThat(sizes).containsExactlyInAnyOrder(3000, 10);
      vfs.syncDirectory();
      try (FaultyVfs image = vfs.crash(CrashOptions.powerLoss(), Files.freshStorage())) {
        assertThat(image.list()).containsExactly("current");
        assertThat(readAll(image, "current")).isEqualTo(filled(10, 'n'));
      }
    }
  }

  @Test
  void aCreatedFileVanishesAndADeletedOneComesBackWithoutADirectorySync() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "old", filled(700, 'o'));
      try (VfsFile created = vfs.open("new", Vfs.OpenMode.CREATE_NEW)) {
        write(created, 0, filled(10, 'n'));
        created.flush();
      }
      vfs.delete("old");
      CrashOptions revert = CrashOptions.powerLoss()
          .directoryChanges(CrashOptions.DirectoryChanges.REVERT);
      try (FaultyVfs image = vfs.crash(revert, Files.freshStorage())) {
        assertThat(image.list()).containsExactly("old");
        assertThat(readAll(image, "old")).isEqualTo(filled(700, 'o'));
      }
      CrashOptions keep = revert.directoryChanges(CrashOptions.DirectoryChanges.KEEP);
      try (FaultyVfs image = vfs.crash(keep, Files.freshStorage())) {
        assertThat(image.list()).containsExactly("new");
        assertThat(readAll(image, "new")).isEqualTo(filled(10, 'n'));
      }
      vfs.syncDirectory();
      try (FaultyVfs image = vfs.crash(revert, Files.freshStorage())) {
        assertThat(image.list()).containsExactly("new");
      }
    }
  }

  @Test
  void directoryChangesSurviveAsAPrefixInOrder() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      for (String name : new String[] {"a", "b", "c"}) {
        vfs.open(name, Vfs.OpenMode.CREATE_NEW).close();
      }
      Set<String> listings = new HashSet<>();
      for (long seed = 0; seed < 40; seed++) {
        try (FaultyVfs image = vfs.crash(CrashOptions.powerLoss().seed(seed), Files.freshStorage())) {
          listings.add(String.join("", image.list()));
        }
      }
      assertThat(listings).containsExactlyInAnyOrder("", "a", "ab", "abc");
    }
  }

  @Test
  void aProcessCrashKeepsEverythingWrittenAndEveryDirectoryChange() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE_NEW);
      write(file, 0, filled(1500, 'x'));
      vfs.rename("f", "g");
      try (FaultyVfs image = vfs.crash(CrashOptions.processCrash(), Files.freshStorage())) {
        assertThat(image.list()).containsExactly("g");
        assertThat(readAll(image, "g")).isEqualTo(filled(1500, 'x'));
      }
    }
  }

  @Test
  void aCrashLeavesTheLiveStorageWorkingAndAnImageCanCrashAgain() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE_NEW);
      write(file, 0, filled(10, 'x'));
      try (FaultyVfs image = vfs.crash(CrashOptions.processCrash(), Files.freshStorage())) {
        assertThat(read(file, 0, 10)).isEqualTo(filled(10, 'x'));
        write(file, 10, filled(10, 'y'));
        assertThat(file.size()).isEqualTo(20);
        assertThat(readAll(image, "f")).isEqualTo(filled(10, 'x'));
        try (VfsFile reopened = image.open("f", Vfs.OpenMode.EXISTING)) {
          write(reopened, 10, filled(5, 'z'));
        }
        CrashOptions none = WHOLE_WRITES.unflushed(CrashOptions.Unflushed.NONE, 0);
        try (FaultyVfs second = image.crash(none, Files.freshStorage())) {
          assertThat(readAll(second, "f")).isEqualTo(filled(10, 'x'));
        }
      }
    }
  }

  @Test
  void theCrashTargetMustBeEmpty() throws IOException {
    try (FaultyVfs vfs = Files.faulty(); Vfs target = Files.freshStorage()) {
      target.open("junk", Vfs.OpenMode.CREATE_NEW).close();
      assertThatThrownBy(() -> vfs.crash(CrashOptions.powerLoss(), target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not empty")
          .hasMessageContaining("junk");
    }
  }

  @Test
  void memoryHeldIsProportionalToUnflushedDataNotToFileSize() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      durableFile(vfs, "segment", new byte[4 << 20]);
      try (VfsFile file = vfs.open("segment", Vfs.OpenMode.EXISTING)) {
        for (int i = 0; i < 100; i++) {
          write(file, i * 100L, filled(100, i));
        }
        // 10,000 bytes written, and the 10,000 durable bytes they replaced.
        assertThat(vfs.heldBytes()).isEqualTo(20_000);
        file.flush();
        assertThat(vfs.heldBytes()).isZero();
      }
    }
  }
}
