package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyVfsProviderTest {

  @Test
  void aSpecOpensTheInnerStorageThroughTheSpi() throws IOException {
    try (Vfs vfs = Vfs.open("faulty:memory:provider-test-1?seed=42&sectorSize=4096")) {
      assertThat(vfs).isInstanceOf(FaultyVfs.class);
      assertThat(((FaultyVfs) vfs).config().seed()).isEqualTo(42);
      assertThat(vfs.capabilities().sectorSize()).isEqualTo(4096);
      assertThat(vfs.capabilities().durableFlush()).isTrue();
      assertThat(VfsSpec.parse(vfs.spec()).location()).isEqualTo("memory:provider-test-1");
      vfs.open("x", Vfs.OpenMode.CREATE_NEW).close();
    }
    try (Vfs again = Vfs.open("memory:provider-test-1")) {
      assertThat(again.list()).containsExactly("x");
    }
  }

  @Test
  void aSpecOverTheLocalBackendTracksWhatIsDurableInARealDirectory(@TempDir Path dir)
      throws IOException {
    try (FaultyVfs vfs = (FaultyVfs) Vfs.open("faulty:local:" + dir + "?seed=7")) {
      Files.durableFile(vfs, "kept", Files.filled(600, 'k'));
      try (VfsFile file = vfs.open("kept", Vfs.OpenMode.EXISTING)) {
        Files.write(file, 600, Files.filled(100, 'u'));
      }
      vfs.rename("kept", "renamed");
      CrashOptions onlyDurable = CrashOptions.powerLoss()
          .unflushed(CrashOptions.Unflushed.NONE, 0)
          .directoryChanges(CrashOptions.DirectoryChanges.REVERT);
      try (FaultyVfs image = vfs.crash(onlyDurable, Files.freshStorage())) {
        assertThat(image.list()).containsExactly("kept");
        assertThat(Files.readAll(image, "kept")).isEqualTo(Files.filled(600, 'k'));
      }
    }
    try (Stream<Path> files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("renamed");
    }
  }

  @Test
  void aParenthesisedInnerSpecKeepsItsOwnOptionsApart() {
    VfsSpec spec = VfsSpec.parse("faulty:(memory:x?y=1)?seed=3&failOn=write:2,flush:1");
    FaultConfig config = FaultyVfsProvider.config(spec);
    assertThat(spec.location()).isEqualTo("memory:x?y=1");
    assertThat(config.seed()).isEqualTo(3);
    assertThat(config.rules()).hasSize(2);
  }

  @Test
  void everyOptionIsRead() {
    FaultConfig config = FaultyVfsProvider.config(VfsSpec.parse("faulty:memory:x?seed=1"
        + "&flushFailure=failstop&quota=64k&partialWrites=false&errorRate=0.5"
        + "&bitFlipOnRead=0.1&latentSectorErrors=0.2&latentSectorReads=garbage"
        + "&misdirectedWrites=0.3&traceCapacity=7"));
    assertThat(config.flushFailureMode).isEqualTo(FlushFailureMode.FAIL_STOP);
    assertThat(config.quotaBytes).isEqualTo(64 * 1024);
    assertThat(config.partialWrites).isFalse();
    assertThat(config.rules()).hasSize(1);
    assertThat(config.bitFlipOnReadProbability).isEqualTo(0.1);
    assertThat(config.latentSectorProbability).isEqualTo(0.2);
    assertThat(config.latentSectorReadsThrow).isFalse();
    assertThat(config.misdirectProbability).isEqualTo(0.3);
    assertThat(config.traceCapacity).isEqualTo(7);
  }

  @Test
  void badOptionValuesAreRefusedNamingTheKeyAndValue() {
    assertThatThrownBy(() -> Vfs.open("faulty:memory:x?flushFailure=sometimes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flushFailure=sometimes");
    assertThatThrownBy(() -> Vfs.open("faulty:memory:x?sectorSize=1000"))
        .hasMessageContaining("sectorSize=1000");
    assertThatThrownBy(() -> Vfs.open("faulty:memory:x?failOn=write"))
        .hasMessageContaining("failOn=write");
    assertThatThrownBy(() -> Vfs.open("faulty:memory:x?errorRate=2"))
        .hasMessageContaining("errorRate=2");
    assertThatThrownBy(() -> Vfs.open("faulty:memory:x?nonsense=1"))
        .hasMessageContaining("nonsense");
  }

  @Test
  void namesOfTheBackendsOwnHiddenFilesAreRefused() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      assertThatThrownBy(() -> vfs.open("~faulty~x", Vfs.OpenMode.CREATE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("~faulty~x");
    }
  }

  @Test
  void deletedFilesKeptForTheCrashModelAreHiddenAndGoneAfterADirectorySync() throws IOException {
    Vfs inner = Files.freshStorage();
    try (FaultyVfs vfs = FaultyVfs.wrap(inner, FaultConfig.none())) {
      Files.durableFile(vfs, "a", new byte[] {1});
      vfs.delete("a");
      assertThat(vfs.list()).isEmpty();
      assertThat(vfs.exists("a")).isFalse();
      assertThat(inner.list()).hasSize(1);
      vfs.syncDirectory();
      assertThat(inner.list()).isEmpty();
    }
  }
}
