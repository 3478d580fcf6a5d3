package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec option of the backends the log runs on, and every log configuration value, is
 * checked on the way in: a malformed, negative, absurd or unknown value fails before anything is
 * created, with a message naming the key and the value.
 */
class ConfigurationEdgesTest {
  @TempDir Path tempDir;

  @ParameterizedTest(name = "memory:x?{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "maxSize|lots", "maxSize|0", "maxSize|-5", "maxSize|99999999999999999999",
        "maxSize|16e", "maxSize|1.5g", "sectorSize|3", "sectorSize|0", "sectorSize|-512",
        "sectorSize|2m", "blockSize|256", "blockSize|1000", "blockSize|1g", "sectorsize|512",
        "colour|red",
      })
  void aBadMemoryOptionIsRefusedNamingKeyAndValue(String key, String value) {
    String spec = "memory:configuration-edges-" + key + "?" + key + "=" + value;
    assertThatThrownBy(() -> Vfs.open(spec).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(key + "=" + value);
  }

  @ParameterizedTest(name = "local:dir?{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sectorSize|1000", "sectorSize|0", "sectorSize|-4096", "sectorSize|4g",
        "sectorSize|many", "createDirectory|maybe", "createDirectory|1", "ownerOnly|yes",
        "ownerOnly|0", "ownerOnly|TRUEISH", "owneronly|true", "readOnly|true",
      })
  void aBadLocalOptionIsRefusedNamingKeyAndValueAndCreatesNothing(String key, String value) {
    Path directory = tempDir.resolve("wal");
    String spec = "local:" + directory + "?" + key + "=" + value;
    assertThatThrownBy(() -> Vfs.open(spec).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key + "=" + value);
    assertThat(directory).doesNotExist();
  }

  @Test
  void aSectorSizeOverTheLogsLargestBlockIsRefusedWhenTheLogOpensNamingIt() {
    assertThatThrownBy(() -> {
          try (Vfs vfs = Vfs.open("memory:configuration-edges-sector?sectorSize=8k")) {
            WriteAheadLog.open(vfs, WalConfig.defaults()).close();
          }
        })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sector size")
        .hasMessageContaining("8192");
  }

  static Stream<Arguments> badLogSettings() {
    return Stream.of(
        bad("segmentBytes (-8192)", b -> b.segmentBytes(-8192)),
        bad("segmentBytes (0)", b -> b.segmentBytes(0)),
        bad("segmentBytes (4096)", b -> b.segmentBytes(4096)),
        bad("segmentBytes (12289)", b -> b.segmentBytes(12289)),
        bad("segmentBytes (2147483648)", b -> b.segmentBytes(1L << 31)),
        bad("segmentBytes (9223372036854775807)", b -> b.segmentBytes(Long.MAX_VALUE)),
        bad("bufferBytes (-4096)", b -> b.bufferBytes(-4096)),
        bad("bufferBytes (0)", b -> b.bufferBytes(0)),
        bad("bufferBytes (5000)", b -> b.bufferBytes(5000)),
        bad("bufferBytes (536870912)", b -> b.segmentBytes(1L << 30).bufferBytes(512 << 20)),
        bad("bufferBytes (65536)", b -> b.segmentBytes(65536).bufferBytes(65536)),
        bad("maxRecordBytes (-1)", b -> b.maxRecordBytes(-1)),
        bad("maxRecordBytes (2147483647)", b -> b.maxRecordBytes(Integer.MAX_VALUE)),
        bad("maxRecordBytes (61377)",
            b -> b.segmentBytes(65536).bufferBytes(4096).maxRecordBytes(61377)),
        bad("flushInterval (PT-0.001S)", b -> b.flushInterval(Duration.ofMillis(-1))),
        bad("flushInterval (PT0S)", b -> b.flushInterval(Duration.ZERO)),
        bad("flushInterval (PT1M0.000000001S)",
            b -> b.flushInterval(Duration.ofMinutes(1).plusNanos(1))),
        bad("flushInterval (PT2562047788015215H30M7.999999999S)",
            b -> b.flushInterval(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))));
  }

  private static Arguments bad(String prefix, UnaryOperator<WalConfig.Builder> setting) {
    return Arguments.of(prefix, setting);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLogSettings")
  void aBadLogSettingIsRefusedNamingSettingAndValue(
      String messagePrefix, UnaryOperator<WalConfig.Builder> setting) {
    assertThatThrownBy(() -> setting.apply(WalConfig.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(messagePrefix);
  }

  @Test
  void aMissingFlushIntervalIsRefusedByName() {
    assertThatThrownBy(() -> WalConfig.builder().flushInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("flushInterval");
  }
}
