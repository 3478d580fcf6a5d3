package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link VfsFile}: positional writes and reads, size, truncate and flush. */
interface FileContract extends VfsFixture {

  private VfsFile newFile() throws IOException {
    return vfs().open("file", OpenMode.CREATE_NEW);
  }

  @Test
  default void readReturnsWhatWriteWrote() throws IOException {
    byte[] content = bytes(1000, 1);
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(content));
      assertThat(readAll(file)).isEqualTo(content);
    }
  }

  @Test
  default void writeTakesTheBytesFromPositionToLimitAndAdvancesPositionToLimit()
      throws IOException {
    byte[] content = bytes(100, 2);
    ByteBuffer src = ByteBuffer.wrap(content, 10, 50);
    try (VfsFile file = newFile()) {
      file.write(5, src);
      assertThat(src.position()).isEqualTo(60);
      assertThat(src.limit()).isEqualTo(60);
      assertThat(file.size()).isEqualTo(55);
      assertThat(Arrays.copyOfRange(readAll(file), 5, 55))
          .isEqualTo(Arrays.copyOfRange(content, 10, 60));
    }
  }

  @Test
  default void emptyWritePastTheEndChangesNothing() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
      file.write(10_000, ByteBuffer.allocate(0));
      assertThat(file.size()).isEqualTo(3);
      assertThat(readAll(file)).containsExactly(1, 2, 3);
    }
  }

  @Test
  default void writePastTheEndLeavesAGapThatReadsAsZeros() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
      file.write(10_000, ByteBuffer.wrap(new byte[] {4}));
      byte[] expected = new byte[10_001];
      expected[0] = 1;
      expected[1] = 2;
      expected[2] = 3;
      expected[10_000] = 4;
      assertThat(file.size()).isEqualTo(10_001);
      assertThat(readAll(file)).isEqualTo(expected);
    }
  }

  @Test
  default void overwritingInsideTheFileKeepsItsSize() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(bytes(100, 3)));
      file.write(40, ByteBuffer.wrap(new byte[] {9, 9}));
      assertThat(file.size()).isEqualTo(100);
      byte[] expected = bytes(100, 3);
      expected[40] = 9;
      expected[41] = 9;
      assertThat(readAll(file)).isEqualTo(expected);
    }
  }

  @Test
  default void aLargeHeapBufferIsWrittenWhole() throws IOException {
    byte[] content = bytes(8 * 1024 * 1024 + 13, 4);
    try (VfsFile file = newFile()) {
      ByteBuffer src = ByteBuffer.wrap(content);
      file.write(7, src);
      assertThat(src.hasRemaining()).isFalse();
      assertThat(file.size()).isEqualTo(content.length + 7);
      assertThat(Arrays.copyOfRange(readAll(file), 7, content.length + 7)).isEqualTo(content);
    }
  }

  @Test
  default void aLargeDirectBufferIsWrittenWholeAndReadsBackIntoADirectBuffer()
      throws IOException {
    byte[] content = bytes(8 * 1024 * 1024 + 13, 5);
    try (VfsFile file = newFile()) {
      ByteBuffer src = ByteBuffer.allocateDirect(content.length).put(content).flip();
      file.write(0, src);
      assertThat(src.hasRemaining()).isFalse();
      ByteBuffer dst = ByteBuffer.allocateDirect(content.length);
      file.readFully(0, dst);
      byte[] read = new byte[content.length];
      dst.flip().get(read);
      assertThat(read).isEqualTo(content);
    }
  }

  @Test
  default void readAtOrPastTheEndReturnsMinusOne() throws IOException {
    try (VfsFile file = newFile()) {
      assertThat(file.read(0, ByteBuffer.allocate(10))).isEqualTo(-1);
      file.write(0, ByteBuffer.wrap(bytes(10, 6)));
      assertThat(file.read(10, ByteBuffer.allocate(10))).isEqualTo(-1);
      assertThat(file.read(1_000_000, ByteBuffer.allocate(10))).isEqualTo(-1);
    }
  }

  @Test
  default void readIsShortOnlyAtTheEndAndAdvancesThePosition() throws IOException {
    byte[] content = bytes(3 * 1024 * 1024, 7);
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(content));
      ByteBuffer whole = ByteBuffer.allocate(content.length);
      assertThat(file.read(0, whole)).isEqualTo(content.length);
      assertThat(whole.position()).isEqualTo(content.length);
      assertThat(whole.array()).isEqualTo(content);

      ByteBuffer pastEnd = ByteBuffer.allocate(100);
      pastEnd.position(20);
      assertThat(file.read(content.length - 30, pastEnd)).isEqualTo(30);
      assertThat(pastEnd.position()).isEqualTo(50);
      assertThat(Arrays.copyOfRange(pastEnd.array(), 20, 50))
          .isEqualTo(Arrays.copyOfRange(content, content.length - 30, content.length));
    }
  }

  @Test
  default void readFullyPastTheEndThrowsEofExceptionGivingOffsetAndSizes() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(bytes(10, 8)));
      assertThatThrownBy(() -> file.readFully(4, ByteBuffer.allocate(20)))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("'file'")
          .hasMessageContaining("ends at 10")
          .hasMessageContaining("offset 4");
    }
  }

  @Test
  default void sizeIsTheLargestEndWritten() throws IOException {
    try (VfsFile file = newFile()) {
      assertThat(file.size()).isZero();
      file.write(100, ByteBuffer.allocate(1));
      file.write(0, ByteBuffer.allocate(50));
      assertThat(file.size()).isEqualTo(101);
    }
  }

  @Test
  default void truncateCutsTheFileAndLaterGrowthReadsAsZeros() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(bytes(100, 9)));
      file.truncate(30);
      assertThat(file.size()).isEqualTo(30);
      assertThat(readAll(file)).isEqualTo(Arrays.copyOf(bytes(100, 9), 30));
      file.write(60, ByteBuffer.wrap(new byte[] {7}));
      byte[] expected = Arrays.copyOf(bytes(100, 9), 61);
      Arrays.fill(expected, 30, 60, (byte) 0);
      expected[60] = 7;
      assertThat(readAll(file)).isEqualTo(expected);
    }
  }

  @Test
  default void truncateToTheSizeOrLargerLeavesTheFileUnchanged() throws IOException {
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(bytes(100, 10)));
      file.truncate(100);
      file.truncate(1_000);
      assertThat(file.size()).isEqualTo(100);
      assertThat(readAll(file)).isEqualTo(bytes(100, 10));
    }
  }

  @Test
  default void negativeOffsetsAndSizesAreRefusedNamingTheValue() throws IOException {
    try (VfsFile file = newFile()) {
      assertThatThrownBy(() -> file.write(-1, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-1");
      assertThatThrownBy(() -> file.read(-2, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-2");
      assertThatThrownBy(() -> file.truncate(-3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-3");
      assertThat(file.size()).isZero();
    }
  }

  @Test
  default void aFlushedFileReopensWithItsContent() throws IOException {
    byte[] content = bytes(5000, 11);
    try (VfsFile file = newFile()) {
      file.write(0, ByteBuffer.wrap(content));
      file.flush();
    }
    try (VfsFile file = vfs().open("file", OpenMode.EXISTING)) {
      assertThat(file.name()).isEqualTo("file");
      assertThat(readAll(file)).isEqualTo(content);
    }
  }
}
