package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readAll;
import static dev.wal.vfs.testkit.VfsFixture.readFile;
import static dev.wal.vfs.testkit.VfsFixture.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wal.vfs.FlushFailedException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Each claimed {@link VfsCapabilities capability}, checked where a hook makes it checkable, and
 * the poisoned handle after a failed flush.
 */
interface CapabilityContract extends VfsFixture {

  private VfsCapabilities claims() {
    return vfs().capabilities();
  }

  @Test
  default void aFlushedWriteSurvivesAPowerLossWhereDurableFlushIsClaimed() throws IOException {
    assumeTrue(claims().durableFlush(), "durableFlush is not claimed");
    assumeTrue(claims().directorySync(), "directorySync is not claimed, so a new file may vanish");
    byte[] flushed = bytes(10_000, 1);
    try (VfsFile file = vfs().open("a", OpenMode.CREATE_NEW)) {
      vfs().syncDirectory();
      file.write(0, ByteBuffer.wrap(flushed));
      file.flush();
      file.write(flushed.length, ByteBuffer.wrap(bytes(5_000, 2))); // not flushed: may be lost
    }
    try (Vfs after = simulatePowerLoss(vfs())) {
      byte[] survived = readFile(after, "a");
      assertThat(survived.length).isGreaterThanOrEqualTo(flushed.length);
      assertThat(Arrays.copyOf(survived, flushed.length)).isEqualTo(flushed);
    }
  }

  @Test
  default void syncedCreatesRenamesAndDeletesSurviveAPowerLossWhereDirectorySyncIsClaimed()
      throws IOException {
    assumeTrue(claims().directorySync(), "directorySync is not claimed");
    assumeTrue(claims().durableFlush(), "durableFlush is not claimed, so contents may be lost");
    writeFile(vfs(), "kept", bytes(100, 3));
    writeFile(vfs(), "deleted", bytes(100, 4));
    writeFile(vfs(), "renamed", bytes(100, 5));
    vfs().syncDirectory();
    vfs().delete("deleted");
    vfs().rename("renamed", "target");
    vfs().syncDirectory();
    try (Vfs after = simulatePowerLoss(vfs())) {
      assertThat(after.list()).containsExactly("kept", "target");
      assertThat(readFile(after, "kept")).isEqualTo(bytes(100, 3));
      assertThat(readFile(after, "target")).isEqualTo(bytes(100, 5));
    }
  }

  @Test
  default void aRenameInterruptedByAPowerLossLeavesTheOldOrTheNewTargetWhole()
      throws IOException {
    assumeTrue(claims().atomicRename(), "atomicRename is not claimed");
    assumeTrue(claims().durableFlush(), "durableFlush is not claimed, so contents may be lost");
    assumeTrue(claims().directorySync(), "directorySync is not claimed, so files may vanish");
    writeFile(vfs(), "target", bytes(300, 6));
    writeFile(vfs(), "source", bytes(200, 7));
    vfs().syncDirectory();
    vfs().rename("source", "target");
    try (Vfs after = simulatePowerLoss(vfs())) {
      assertThat(readFile(after, "target")).isIn(bytes(300, 6), bytes(200, 7));
    }
  }

  /** {@return the content of rename version {@code k}: its size tells {@code k}} */
  private static byte[] version(int k) {
    return bytes(1000 + 37 * k, k);
  }

  @Test
  default void readersOfARenameTargetSeeTheOldOrTheNewContentWhole() throws Exception {
    assumeTrue(claims().atomicRename(), "atomicRename is not claimed");
    int versions = 100;
    writeFile(vfs(), "target", version(0));
    AtomicBoolean renaming = new AtomicBoolean(true);
    Concurrently.Task renamer =
        () -> {
          try {
            for (int k = 1; k <= versions; k++) {
              writeFile(vfs(), "next", version(k));
              vfs().rename("next", "target");
            }
          } finally {
            renaming.set(false);
          }
        };
    Concurrently.Task reader =
        () -> {
          for (int i = 0; i < 100_000 && renaming.get(); i++) {
            try (VfsFile file = vfs().open("target", OpenMode.EXISTING)) {
              byte[] content = readAll(file);
              int k = (content.length - 1000) / 37;
              assertThat(content).as("read %s", i).isEqualTo(version(k));
            }
          }
        };
    Concurrently.run(List.of(renamer, reader));
    assertThat(readFile(vfs(), "target")).isEqualTo(version(versions));
  }

  @Test
  default void afterAFailedFlushTheHandleRefusesWritesTruncatesAndFlushesButStillReads()
      throws IOException {
    writeFile(vfs(), "a", bytes(100, 8));
    failNextFlush(vfs(), "a");
    try (VfsFile file = vfs().open("a", OpenMode.EXISTING)) {
      file.write(100, ByteBuffer.wrap(bytes(50, 9)));
      Throwable first = catchFlushFailure(file);
      assertThat(first).isNotInstanceOf(FlushFailedException.class);
      assertThat(first).isNotInstanceOf(ClosedChannelException.class);
      assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(1)))
          .isInstanceOf(FlushFailedException.class)
          .hasMessageContaining("'a'")
          .hasCause(first);
      assertThatThrownBy(() -> file.truncate(0)).isInstanceOf(FlushFailedException.class);
      assertThatThrownBy(file::flush).isInstanceOf(FlushFailedException.class).hasCause(first);
      ByteBuffer dst = ByteBuffer.allocate(100);
      file.readFully(0, dst);
      assertThat(dst.array()).isEqualTo(bytes(100, 8));
    }
    try (VfsFile reopened = vfs().open("a", OpenMode.EXISTING)) {
      reopened.write(0, ByteBuffer.wrap(bytes(10, 10)));
      reopened.flush();
    }
  }

  private static Throwable catchFlushFailure(VfsFile file) {
    try {
      file.flush();
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("flush succeeded although failNextFlush made it fail");
  }
}
