package dev.wal.vfs.faulty.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultyVfsExtensionTest {
  @RegisterExtension
  final FaultyVfsExtension storage = FaultyVfsExtension.over("memory:{}")
      .configure(faults -> faults.flushFailureMode(FlushFailureMode.LINUX));

  @Test
  void aTestGetsAFaultyStorageCrashesItAndReopensOnTheImage(FaultyVfs vfs) throws IOException {
    assertThat(vfs).isSameAs(storage.vfs());
    assertThat(vfs.config().seed()).isEqualTo(storage.seed());
    try (VfsFile file = vfs.open("log", Vfs.OpenMode.CREATE_NEW)) {
      file.write(0, ByteBuffer.wrap("durable".getBytes(StandardCharsets.UTF_8)));
      file.flush();
    }
    vfs.syncDirectory();
    FaultyVfs image = storage.crash();
    try (VfsFile file = image.open("log", Vfs.OpenMode.EXISTING)) {
      ByteBuffer bytes = ByteBuffer.allocate(7);
      file.readFully(0, bytes);
      assertThat(new String(bytes.array(), StandardCharsets.UTF_8)).isEqualTo("durable");
    }
    FaultyVfs again = storage.crash(CrashOptions.processCrash());
    assertThat(again.list()).containsExactly("log");
  }

  @Test
  void aFailingTestGetsItsSeedAndAReproduceLine() {
    AssertionError failure = new AssertionError("boom");
    assertThat(storage.addReproduceLine(FaultyVfsExtensionTest.class,
        "aFailingTestGetsItsSeedAndAReproduceLine", failure)).isSameAs(failure);
    assertThat(failure.getSuppressed()).hasSize(1);
    assertThat(failure.getSuppressed()[0].getMessage())
        .contains("seed " + storage.seed())
        .contains("-Dtest=FaultyVfsExtensionTest#aFailingTestGetsItsSeedAndAReproduceLine")
        .contains("-Dwal.tests.seed=" + storage.seed());
  }

  @Test
  void aSpecTemplateWithoutAPlaceholderIsRefused() {
    assertThatThrownBy(() -> FaultyVfsExtension.over("memory:fixed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory:fixed");
  }
}
