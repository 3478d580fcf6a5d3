package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.durableFile;
import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.read;
import static dev.wal.vfs.faulty.Files.readAll;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.FlushFailedException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;

/**
 * A rule with {@link FaultRule#afterOperation()} lets the operation really happen, then throws:
 * for each kind that changes something, the change is there although the caller was told it
 * failed.
 */
class AfterOperationTest {
  private static final CrashOptions ONLY_FLUSHED = CrashOptions.powerLoss()
      .unflushed(CrashOptions.Unflushed.NONE, 0)
      .directoryChanges(CrashOptions.DirectoryChanges.KEEP);

  private static FaultyVfs failingAfter(OpKind kind) throws IOException {
    FaultyVfs vfs = Files.faulty();
    durableFile(vfs, "f", filled(10, 'a'));
    vfs.addRule(FaultRule.failOn(kind).afterOperation());
    return vfs;
  }

  @Test
  void aWriteFailedAfterItHappenedIsReadableAndSurvivesAProcessCrash() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.WRITE);
        VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
      assertThatThrownBy(() -> write(file, 10, filled(5, 'b')))
          .isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("took effect");
      assertThat(new String(read(file, 0, 15))).isEqualTo("aaaaaaaaaabbbbb");
      try (FaultyVfs image = vfs.crash(CrashOptions.processCrash(), Files.freshStorage())) {
        assertThat(new String(readAll(image, "f"))).isEqualTo("aaaaaaaaaabbbbb");
      }
    }
  }

  @Test
  void aFlushFailedAfterItHappenedMadeTheDataDurableAndPoisonsTheHandle() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.FLUSH);
        VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
      write(file, 10, filled(5, 'b'));
      assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class);
      try (FaultyVfs image = vfs.crash(ONLY_FLUSHED, Files.freshStorage())) {
        assertThat(new String(readAll(image, "f"))).isEqualTo("aaaaaaaaaabbbbb");
      }
      assertThatThrownBy(file::flush).isInstanceOf(FlushFailedException.class);
    }
  }

  @Test
  void aTruncateFailedAfterItHappenedChangedTheSize() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.TRUNCATE);
        VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
      assertThatThrownBy(() -> file.truncate(4)).isInstanceOf(InjectedIOException.class);
      assertThat(file.size()).isEqualTo(4);
    }
  }

  @Test
  void aDeleteFailedAfterItHappenedRemovedTheFile() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.DELETE)) {
      assertThatThrownBy(() -> vfs.delete("f")).isInstanceOf(InjectedIOException.class);
      assertThat(vfs.exists("f")).isFalse();
      assertThat(vfs.list()).isEmpty();
    }
  }

  @Test
  void anOpenFailedAfterItHappenedCreatedTheFileAndClosedTheHandle() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.OPEN)) {
      assertThatThrownBy(() -> vfs.open("g", Vfs.OpenMode.CREATE_NEW))
          .isInstanceOf(InjectedIOException.class);
      assertThat(vfs.list()).containsExactlyInAnyOrder("f", "g");
      assertThatThrownBy(() -> vfs.open("g", Vfs.OpenMode.CREATE_NEW))
          .isInstanceOf(FileAlreadyExistsException.class);
    }
  }

  @Test
  void aDirectorySyncFailedAfterItHappenedMadeTheCreateDurable() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.SYNC_DIRECTORY)) {
      vfs.open("g", Vfs.OpenMode.CREATE_NEW).close();
      assertThatThrownBy(vfs::syncDirectory).isInstanceOf(InjectedIOException.class);
      CrashOptions revert =
          CrashOptions.powerLoss().directoryChanges(CrashOptions.DirectoryChanges.REVERT);
      try (FaultyVfs image = vfs.crash(revert, Files.freshStorage())) {
        assertThat(image.list()).containsExactlyInAnyOrder("f", "g");
      }
    }
  }

  @Test
  void aLockFailedAfterItWasTakenIsReleasedSoTheNextLockSucceeds() throws IOException {
    try (FaultyVfs vfs = failingAfter(OpKind.LOCK)) {
      assertThatThrownBy(() -> vfs.lock("lock")).isInstanceOf(InjectedIOException.class);
      vfs.lock("lock").close();
    }
  }
}
