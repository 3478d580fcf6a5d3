package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every option of the faulty provider is checked on the way in: a malformed, negative, absurd or
 * unknown value fails with a message naming the key and the value (issue 8).
 */
class FaultyOptionsEdgesTest {
  @ParameterizedTest(name = "faulty:memory:x?{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "seed|forty-two", "seed|99999999999999999999", "sectorSize|1000", "sectorSize|-512",
        "sectorSize|2g", "flushFailure|sometimes", "flushFailure|", "quota|lots", "quota|-1",
        "partialWrites|banana", "failOn|write", "failOn|write:0", "failOn|write:-1",
        "failOn|write:1,", "failOn|teleport:1", "failOn|write:x", "errorRate|2",
        "errorRate|-0.5", "errorRate|NaN", "errorRate|often", "bitFlipOnRead|1.01",
        "latentSectorErrors|-1", "latentSectorReads|explode", "misdirectedWrites|Infinity",
        "traceCapacity|0", "traceCapacity|-1", "traceCapacity|4294967296", "traceCapacity|many",
        "Seed|1", "nonsense|1",
      })
  void aBadOptionIsRefusedNamingKeyAndValue(String key, String value) {
    String spec = "faulty:memory:faulty-options-edges?" + key + "=" + value;
    assertThatThrownBy(() -> Vfs.open(spec).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key + "=" + value);
  }
}
