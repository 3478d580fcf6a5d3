package dev.wal.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void plainNamesPassUnchanged() {
    for (String name :
        new String[] {
          "a", "wal-0001.seg", "...", ".hidden", "with space", "\u00e9".repeat(127) + "a",
          "\ud83d\ude00", "x".repeat(255)
        }) {
      assertThat(AbstractVfs.checkName(name)).isSameAs(name);
    }
  }

  @Test
  void emptyNamesAreRefused() {
    assertThatThrownBy(() -> AbstractVfs.checkName(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void nullIsRefusedWithANullPointerException() {
    assertThatThrownBy(() -> AbstractVfs.checkName(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void dotAndDotDotAreRefusedAsDirectories() {
    assertThatThrownBy(() -> AbstractVfs.checkName("."))
        .hasMessageContaining("'.' names a directory");
    assertThatThrownBy(() -> AbstractVfs.checkName(".."))
        .hasMessageContaining("'..' names a directory");
  }

  @Test
  void separatorsOfBothKindsAreRefusedGivingTheirIndex() {
    assertThatThrownBy(() -> AbstractVfs.checkName("a/b"))
        .hasMessageContaining("'a/b' contains a path separator at index 1");
    assertThatThrownBy(() -> AbstractVfs.checkName("ab\\"))
        .hasMessageContaining("'ab\\' contains a path separator at index 2");
  }

  @Test
  void controlCharactersAreRefusedPrintably() {
    assertThatThrownBy(() -> AbstractVfs.checkName("a\0b"))
        .hasMessageContaining("'a\\u0000b' contains control character U+0000 at index 1");
    assertThatThrownBy(() -> AbstractVfs.checkName("a\u009fb"))
        .hasMessageContaining("U+009F");
  }

  @Test
  void aNameRefusedForASeparatorShowsItsControlCharactersEscaped() {
    assertThatThrownBy(() -> AbstractVfs.checkName("a/\u007fb"))
        .hasMessage("file name 'a/\\u007fb' contains a path separator at index 1");
  }

  @Test
  void unpairedSurrogatesAreRefused() {
    assertThatThrownBy(() -> AbstractVfs.checkName("a\ud83d"))
        .hasMessageContaining("unpaired surrogate at index 1");
    assertThatThrownBy(() -> AbstractVfs.checkName("\ude00a"))
        .hasMessageContaining("unpaired surrogate at index 0");
  }

  @Test
  void namesOver255Utf8BytesAreRefusedEvenWhenShorterInCharacters() {
    assertThatThrownBy(() -> AbstractVfs.checkName("x".repeat(256)))
        .hasMessageContaining("is 256 UTF-8 bytes; at most 255");
    assertThatThrownBy(() -> AbstractVfs.checkName("\u00e9".repeat(128)))
        .hasMessageContaining("is 256 UTF-8 bytes");
  }
}
