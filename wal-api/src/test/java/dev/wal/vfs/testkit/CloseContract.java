package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Closing: idempotent, and every later call throws {@link ClosedChannelException}. */
interface CloseContract extends VfsFixture {

  private static void assertEveryCallThrowsClosed(Map<String, ThrowingCallable> calls) {
    calls.forEach(
        (what, call) ->
            assertThatThrownBy(call).as(what).isInstanceOf(ClosedChannelException.class));
  }

  private static Map<String, ThrowingCallable> fileCalls(VfsFile file) {
    return Map.of(
        "write", () -> file.write(0, ByteBuffer.allocate(1)),
        "read", () -> file.read(0, ByteBuffer.allocate(1)),
        "readFully", () -> file.readFully(0, ByteBuffer.allocate(1)),
        "size", file::size,
        "truncate", () -> file.truncate(0),
        "flush", file::flush);
  }

  @Test
  default void afterAFileIsClosedEveryCallThrowsClosedChannelException() throws IOException {
    VfsFile file = vfs().open("a", OpenMode.CREATE_NEW);
    file.write(0, ByteBuffer.wrap(bytes(10, 1)));
    file.close();
    assertEveryCallThrowsClosed(fileCalls(file));
    assertThat(file.name()).isEqualTo("a");
  }

  @Test
  default void closingAFileTwiceDoesNothing() throws IOException {
    VfsFile file = vfs().open("a", OpenMode.CREATE_NEW);
    file.close();
    file.close();
    try (VfsFile again = vfs().open("a", OpenMode.EXISTING)) {
      assertThat(again.size()).isZero();
    }
  }

  @Test
  default void closingOneHandleLeavesAnotherOfTheSameFileOpen() throws IOException {
    VfsFile first = vfs().open("a", OpenMode.CREATE_NEW);
    try (VfsFile second = vfs().open("a", OpenMode.EXISTING)) {
      first.close();
      second.write(0, ByteBuffer.wrap(bytes(10, 2)));
      assertThat(second.size()).isEqualTo(10);
    }
  }

  @Test
  default void afterAVfsIsClosedEveryCallThrowsClosedChannelException() throws IOException {
    writeFile(vfs(), "a", bytes(10, 3));
    Vfs second = openSecondVfs();
    second.close();
    assertEveryCallThrowsClosed(
        Map.of(
            "open", () -> second.open("a", OpenMode.EXISTING),
            "open CREATE", () -> second.open("b", OpenMode.CREATE),
            "list", second::list,
            "exists", () -> second.exists("a"),
            "delete", () -> second.delete("a"),
            "rename", () -> second.rename("a", "c"),
            "syncDirectory", second::syncDirectory,
            "lock", () -> second.lock("LOCK")));
    assertThat(vfs().list()).containsExactly("a");
  }

  @Test
  default void closingAVfsTwiceDoesNothing() throws IOException {
    Vfs second = openSecondVfs();
    second.close();
    second.close();
    assertThat(vfs().list()).isEmpty();
  }

  @Test
  default void closingAVfsClosesItsOpenFiles() throws IOException {
    Vfs second = openSecondVfs();
    VfsFile file = second.open("a", OpenMode.CREATE_NEW);
    second.close();
    assertEveryCallThrowsClosed(fileCalls(file));
    file.close();
    assertThat(vfs().exists("a")).isTrue();
  }

  @Test
  default void closingAVfsLeavesTheFilesOfAnotherVfsOpen() throws IOException {
    Vfs second = openSecondVfs();
    try (VfsFile file = vfs().open("a", OpenMode.CREATE_NEW)) {
      second.close();
      file.write(0, ByteBuffer.wrap(bytes(10, 4)));
      assertThat(file.size()).isEqualTo(10);
    }
  }
}
