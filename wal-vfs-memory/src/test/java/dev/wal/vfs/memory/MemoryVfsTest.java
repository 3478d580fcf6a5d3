package dev.wal.vfs.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.OutOfSpaceException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the memory backend adds to the contract: names, options, sharing and dropping. */
class MemoryVfsTest {
  private final String name = "memory-test-" + UUID.randomUUID();

  @AfterEach
  void dropStorage() throws IOException {
    MemoryVfs.drop(name);
  }

  private static void write(Vfs vfs, String file, String text) throws IOException {
    try (VfsFile f = vfs.open(file, OpenMode.CREATE)) {
      f.write(0, ByteBuffer.wrap(text.getBytes(UTF_8)));
    }
  }

  private static String read(Vfs vfs, String file) throws IOException {
    try (VfsFile f = vfs.open(file, OpenMode.EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) f.size());
      f.readFully(0, buffer);
      return new String(buffer.array(), UTF_8);
    }
  }

  @Test
  void aSpecOpensTheMemoryBackend() throws IOException {
    try (Vfs vfs = Vfs.open("memory:" + name)) {
      assertThat(vfs).isInstanceOf(MemoryVfs.class);
      assertThat(vfs.spec()).isEqualTo("memory:" + name);
    }
  }

  @Test
  void reopeningANameFindsItsFiles() throws IOException {
    try (Vfs vfs = MemoryVfs.open(name)) {
      write(vfs, "a", "hello");
    }
    try (Vfs vfs = Vfs.open("memory:" + name)) {
      assertThat(vfs.list()).containsExactly("a");
      assertThat(read(vfs, "a")).isEqualTo("hello");
    }
  }

  @Test
  void twoVfsOnOneNameSeeTheSameFiles() throws IOException {
    try (Vfs first = MemoryVfs.open(name);
        Vfs second = MemoryVfs.open(name)) {
      write(first, "a", "shared");
      assertThat(read(second, "a")).isEqualTo("shared");
    }
  }

  @Test
  void twoVfsOnOneNameShareLocks() throws IOException {
    try (Vfs first = MemoryVfs.open(name);
        Vfs second = MemoryVfs.open(name)) {
      try (VfsLock lock = first.lock("LOCK")) {
        assertThatThrownBy(() -> second.lock("LOCK"))
            .isInstanceOf(LockHeldException.class)
            .hasMessageContaining("LOCK");
        assertThat(lock.isHeld()).isTrue();
      }
      try (VfsLock again = second.lock("LOCK")) {
        assertThat(again.isHeld()).isTrue();
      }
    }
  }

  @Test
  void otherNamesAreOtherStorages() throws IOException {
    String other = name + "-other";
    try (Vfs vfs = MemoryVfs.open(name);
        Vfs otherVfs = MemoryVfs.open(other)) {
      write(vfs, "a", "x");
      assertThat(otherVfs.list()).isEmpty();
      try (VfsLock lock = vfs.lock("LOCK");
          VfsLock otherLock = otherVfs.lock("LOCK")) {
        assertThat(lock.isHeld()).isTrue();
        assertThat(otherLock.isHeld()).isTrue();
      }
    } finally {
      MemoryVfs.drop(other);
    }
  }

  @Test
  void dropForgetsTheFilesOfAName() throws IOException {
    try (Vfs vfs = MemoryVfs.open(name)) {
      write(vfs, "a", "x");
    }
    assertThat(MemoryVfs.drop(name)).isTrue();
    assertThat(MemoryVfs.drop(name)).isFalse();
    try (Vfs vfs = MemoryVfs.open(name)) {
      assertThat(vfs.list()).isEmpty();
    }
  }

  @Test
  void aVfsOpenWhenItsNameIsDroppedKeepsWorking() throws IOException {
    try (Vfs vfs = MemoryVfs.open(name)) {
      write(vfs, "a", "old");
      MemoryVfs.drop(name);
      try (Vfs fresh = MemoryVfs.open(name)) {
        assertThat(fresh.list()).isEmpty();
      }
      assertThat(read(vfs, "a")).isEqualTo("old");
    }
  }

  @Test
  void capabilitiesClaimNoDurabilityAndDefaultTo512ByteSectors() throws IOException {
    try (Vfs vfs = MemoryVfs.open(name)) {
      assertThat(vfs.capabilities()).isEqualTo(new VfsCapabilities(512, false, false, true, false));
    }
  }

  @Test
  void sectorSizeOptionSetsTheClaimedSectorSize() throws IOException {
    try (Vfs vfs = Vfs.open("memory:" + name + "?sectorSize=4k")) {
      assertThat(vfs.capabilities().sectorSize()).isEqualTo(4096);
      assertThat(vfs.spec()).isEqualTo("memory:" + name + "?sectorSize=4096");
    }
  }

  @Test
  void writePastMaxSizeThrowsOutOfSpaceAndWritesNothing() throws IOException {
    MemoryVfsOptions options = MemoryVfsOptions.defaults().withBlockSize(4096).withMaxSize(16384);
    try (Vfs vfs = MemoryVfs.open(name, options);
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      file.write(0, ByteBuffer.allocate(8192));
      assertThatThrownBy(() -> file.write(8192, ByteBuffer.allocate(12288)))
          .isInstanceOf(OutOfSpaceException.class)
          .hasMessageContaining("'a'")
          .hasMessageContaining("0 bytes of this write reached the file");
      assertThat(file.size()).isEqualTo(8192);
      file.write(8192, ByteBuffer.allocate(8192));
      assertThat(file.size()).isEqualTo(16384);
    }
  }

  @Test
  void maxSizeOptionInASpecLimitsTheStorage() throws IOException {
    try (Vfs vfs = Vfs.open("memory:" + name + "?maxSize=64k");
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(65537)))
          .isInstanceOf(OutOfSpaceException.class);
    }
  }

  @Test
  void reopeningWithADifferentOptionIsRefusedNamingIt() throws IOException {
    try (Vfs vfs = Vfs.open("memory:" + name + "?maxSize=64k")) {
      assertThatThrownBy(() -> Vfs.open("memory:" + name + "?maxSize=128k"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxSize=65536")
          .hasMessageContaining("maxSize=131072");
      try (Vfs again = Vfs.open("memory:" + name)) {
        assertThat(again.spec()).isEqualTo(vfs.spec());
      }
    }
  }

  @Test
  void badOptionValuesAreRefusedNamingKeyAndValue() {
    assertThatThrownBy(() -> Vfs.open("memory:" + name + "?sectorSize=3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sectorSize=3");
    assertThatThrownBy(() -> Vfs.open("memory:" + name + "?maxSize=lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize=lots");
    assertThatThrownBy(() -> Vfs.open("memory:" + name + "?blockSize=100"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blockSize=100");
    assertThatThrownBy(() -> Vfs.open("memory:" + name + "?maxSize=1k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize (1024)");
    assertThatThrownBy(() -> Vfs.open("memory:" + name + "?color=red"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("color");
  }

  @Test
  void typedOptionsRefuseBadValuesNamingThem() {
    assertThatThrownBy(() -> MemoryVfsOptions.defaults().withMaxSize(0))
        .hasMessageContaining("maxSize (0)");
    assertThatThrownBy(() -> MemoryVfsOptions.defaults().withSectorSize(1000))
        .hasMessageContaining("sectorSize (1000)");
    assertThatThrownBy(() -> MemoryVfsOptions.defaults().withBlockSize(256))
        .hasMessageContaining("blockSize (256)");
  }

  @Test
  void storageNamesWithControlCharactersOrEmptyAreRefused() {
    assertThatThrownBy(() -> MemoryVfs.open("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a?b");
    assertThatThrownBy(() -> MemoryVfs.open(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("''");
  }

  @Test
  void anInterruptedWriterDoesNotBreakTheHandle() throws IOException {
    try (Vfs vfs = MemoryVfs.open(name);
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      Thread.currentThread().interrupt();
      try {
        file.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(file.size()).isEqualTo(3);
    }
  }
}
