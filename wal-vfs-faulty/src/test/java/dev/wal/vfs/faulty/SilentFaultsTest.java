package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.read;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SilentFaultsTest {
  private static final int SECTOR = 512;

  @Test
  void aMisdirectedWriteShowsOldBytesWhereItWasAimedAndNewBytesWhereItLanded()
      throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).seed(3).build();
    FaultConfig misdirecting = config.toBuilder().misdirectedWrites(1).build();
    try (FaultyVfs vfs = Files.faulty(misdirecting)) {
      vfs.setSilentFaultsEnabled(false);
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE);
      write(file, 0, filled(8 * SECTOR, 'o'));
      vfs.setSilentFaultsEnabled(true);
      write(file, 4 * SECTOR, filled(SECTOR, 'n'));
      byte[] seen = read(file, 0, 8 * SECTOR);
      assertThat(Arrays.copyOfRange(seen, 4 * SECTOR, 5 * SECTOR)).isEqualTo(filled(SECTOR, 'o'));
      int landed = -1;
      for (int sector = 0; sector < 8; sector++) {
        if (seen[sector * SECTOR] == 'n') {
          landed = sector;
          assertThat(Arrays.copyOfRange(seen, sector * SECTOR, (sector + 1) * SECTOR))
              .isEqualTo(filled(SECTOR, 'n'));
        }
      }
      assertThat(landed).isNotIn(-1, 4);
      assertThat(vfs.trace()).anyMatch(e -> e.injected() && e.outcome().contains("misdirected"));

      vfs.setSilentFaultsEnabled(false);
      byte[] truth = read(file, 0, 8 * SECTOR);
      byte[] expected = filled(8 * SECTOR, 'o');
      Arrays.fill(expected, 4 * SECTOR, 5 * SECTOR, (byte) 'n');
      assertThat(truth).isEqualTo(expected);
    }
  }

  @Test
  void aLatentSectorErrorFailsReadsUntilTheSectorIsRewritten() throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).latentSectorErrors(1, true)
        .build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      vfs.setSilentFaultsEnabled(false);
      write(file, 0, filled(4 * SECTOR, 'a'));
      vfs.setSilentFaultsEnabled(true);
      write(file, 2 * SECTOR, filled(SECTOR, 'b')); // sector 2 goes bad
      read(file, 0, 2 * SECTOR);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> read(file, 2 * SECTOR + 10, 1))
            .isInstanceOf(InjectedIOException.class)
            .hasMessageContaining("latent sector error: sector 2");
      }
      vfs.setSilentFaultsEnabled(false);
      assertThat(read(file, 2 * SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'b'));
      write(file, 2 * SECTOR, filled(SECTOR, 'c')); // rewritten whole: healed
      vfs.setSilentFaultsEnabled(true);
      assertThat(read(file, 2 * SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'c'));
    }
  }

  @Test
  void aLatentSectorErrorCanReturnGarbageInstead() throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).latentSectorErrors(1, false)
        .build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(SECTOR, 'a'));
      byte[] first = read(file, 0, SECTOR);
      assertThat(first).isNotEqualTo(filled(SECTOR, 'a'));
      assertThat(read(file, 0, SECTOR)).isEqualTo(first);
    }
  }

  @Test
  void aBitFlipOnReadIsTransient() throws IOException {
    FaultConfig config = FaultConfig.builder().seed(5).bitFlipOnRead(0.5).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(64, 'a'));
      int flipped = 0;
      int clean = 0;
      for (int i = 0; i < 40; i++) {
        byte[] bytes = read(file, 0, 64);
        int differing = 0;
        for (byte b : bytes) {
          differing += Integer.bitCount((b ^ 'a') & 0xFF);
        }
        assertThat(differing).isIn(0, 1);
        flipped += differing;
        clean += 1 - differing;
      }
      assertThat(flipped).isPositive();
      assertThat(clean).isPositive();
    }
  }

  @Test
  void switchingSilentFaultsOffStopsBitFlipsAndOnStartsThemAgain() throws IOException {
    FaultConfig config = FaultConfig.builder().bitFlipOnRead(1).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(16, 'a'));
      assertThat(read(file, 0, 16)).isNotEqualTo(filled(16, 'a'));
      vfs.setSilentFaultsEnabled(false);
      for (int i = 0; i < 5; i++) {
        assertThat(read(file, 0, 16)).isEqualTo(filled(16, 'a'));
      }
      vfs.setSilentFaultsEnabled(true);
      assertThat(read(file, 0, 16)).isNotEqualTo(filled(16, 'a'));
    }
  }

  @Test
  void aLatentSectorErrorSurvivesAPowerLossUntilTheImageRewritesTheSector() throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      Files.durableFile(vfs, "f", filled(3 * SECTOR, 'a'));
      vfs.addLatentSectorError("f", SECTOR + 3);
      try (FaultyVfs image = vfs.crash(CrashOptions.powerLoss(), Files.freshStorage());
          VfsFile file = image.open("f", Vfs.OpenMode.EXISTING)) {
        assertThat(read(file, 0, SECTOR)).isEqualTo(filled(SECTOR, 'a'));
        assertThatThrownBy(() -> read(file, 2 * SECTOR - 1, 1))
            .isInstanceOf(InjectedIOException.class)
            .hasMessageContaining("latent sector error: sector 1");
        image.setSilentFaultsEnabled(false);
        assertThat(read(file, SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'a'));
        image.setSilentFaultsEnabled(true);
        write(file, SECTOR, filled(SECTOR, 'b'));
        assertThat(read(file, SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'b'));
      }
    }
  }

  @Test
  void crashImagesHoldTheTrueDataNotTheOverlays() throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).misdirectedWrites(1).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(4 * SECTOR, 'a'));
      write(file, SECTOR, filled(SECTOR, 'b'));
      try (FaultyVfs image = vfs.crash(CrashOptions.processCrash(), Files.freshStorage())) {
        byte[] expected = filled(4 * SECTOR, 'a');
        Arrays.fill(expected, SECTOR, 2 * SECTOR, (byte) 'b');
        assertThat(Files.readAll(image, "f")).isEqualTo(expected);
      }
    }
  }

  @Test
  void corruptionPlacedOnAFileShowsInReadsUntilRewrittenOrSwitchedOff() throws IOException {
    try (FaultyVfs vfs = Files.faulty(); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(100, 'a'));
      vfs.corruptOnRead("f", 40, filled(3, 'X'));
      assertThat(new String(read(file, 38, 7))).isEqualTo("aaXXXaa");
      vfs.setSilentFaultsEnabled(false);
      assertThat(new String(read(file, 38, 7))).isEqualTo("aaaaaaa");
      vfs.setSilentFaultsEnabled(true);
      write(file, 41, filled(1, 'b'));
      assertThat(new String(read(file, 38, 7))).isEqualTo("aaXbXaa");
      assertThatThrownBy(() -> vfs.corruptOnRead("missing", 0, new byte[1]))
          .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
  }

  @Test
  void aLatentSectorErrorPlacedOnAFileFailsReadsOfThatSectorOnly() throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(3 * SECTOR, 'a'));
      vfs.addLatentSectorError("f", SECTOR + 7);
      assertThat(read(file, 0, SECTOR)).isEqualTo(filled(SECTOR, 'a'));
      assertThat(read(file, 2 * SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'a'));
      assertThatThrownBy(() -> read(file, SECTOR - 1, 2)).isInstanceOf(InjectedIOException.class);
    }
  }

  @Test
  void aLatentSectorErrorSurvivesWritesThatCoverOnlyPartOfTheSectorAndReopening()
      throws IOException {
    FaultConfig config = FaultConfig.builder().sectorSize(SECTOR).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
        write(file, 0, filled(3 * SECTOR, 'a'));
        vfs.addLatentSectorError("f", SECTOR);
        write(file, SECTOR, filled(SECTOR - 1, 'b'));
        write(file, SECTOR + 1, filled(SECTOR - 1, 'c'));
        file.flush();
      }
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        assertThatThrownBy(() -> read(file, 2 * SECTOR - 1, 1))
            .isInstanceOf(InjectedIOException.class);
        write(file, SECTOR - 1, filled(SECTOR + 2, 'd')); // covers the whole sector
        assertThat(read(file, SECTOR, SECTOR)).isEqualTo(filled(SECTOR, 'd'));
      }
    }
  }
}
