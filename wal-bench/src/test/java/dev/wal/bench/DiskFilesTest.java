package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFilesTest {
  @TempDir Path dir;

  static void readFully(FileChannel channel, ByteBuffer dst) throws IOException {
    long position = 0;
    while (dst.hasRemaining()) {
      int read = channel.read(dst, position);
      if (read < 0) {
        break;
      }
      position += read;
    }
  }

  @Test
  void preallocateFillsTheFileWithZerosToTheExactSize() throws IOException {
    long bytes = 3 * 1024 * 1024 + 5;
    try (FileChannel channel = DiskFiles.createNew(dir.resolve("p"))) {
      DiskFiles.preallocate(channel, bytes);
    }
    assertThat(Files.size(dir.resolve("p"))).isEqualTo(bytes);
    byte[] content = Files.readAllBytes(dir.resolve("p"));
    for (int i = 0; i < content.length; i += 4099) {
      assertThat(content[i]).isZero();
    }
  }

  @Test
  void frameIsALittleEndianLengthThenThePayload() {
    ByteBuffer frames = DiskFiles.frameBuffer(16);
    DiskFiles.putFrame(frames, ByteBuffer.wrap(new byte[] {9, 8, 7}));
    frames.flip();
    byte[] bytes = new byte[frames.remaining()];
    frames.get(bytes);
    assertThat(bytes).containsExactly(3, 0, 0, 0, 9, 8, 7);
  }
}
