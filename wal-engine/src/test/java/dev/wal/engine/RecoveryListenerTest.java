package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opening with a {@link RecoveryListener} tells it the LSN and tag of exactly the records the
 * opened log holds, in order: none below the first LSN, none of a torn tail recovery cut.
 */
class RecoveryListenerTest {
  @TempDir Path tempDir;

  static List<String> backends() {
    return TestStorage.backends();
  }

  private static long tagOf(long lsn) {
    return lsn * 31 + 7;
  }

  /** {@return the LSNs and tags told, two longs a record} */
  private static List<long[]> openAndListen(Vfs vfs, List<WriteAheadLog> opened)
      throws IOException {
    List<long[]> told = new ArrayList<>();
    opened.add(WriteAheadLog.open(vfs, WriteAheadLogTest.small(),
        (lsn, tag) -> told.add(new long[] {lsn, tag})));
    return told;
  }

  private static void assertTold(List<long[]> told, long first, long last) {
    assertThat(told).hasSize((int) (last - first + 1));
    for (int i = 0; i < told.size(); i++) {
      long lsn = first + i;
      assertThat(told.get(i)).as("record %d", i).containsExactly(lsn, tagOf(lsn));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theListenerHearsEveryRecordFromTheFirstLsnToTheLastAfterACleanClose(String backend)
      throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        for (long lsn = 1; lsn <= 2000; lsn++) {
          log.appendNoWait(Payloads.bytes(lsn, 90), tagOf(lsn));
        }
        log.truncateBefore(777);
        assertThat(SegmentFiles.segments(vfs)).hasSizeGreaterThan(1);
      }
      List<WriteAheadLog> opened = new ArrayList<>();
      List<long[]> told = openAndListen(vfs, opened);
      try (WriteAheadLog log = opened.get(0)) {
        assertThat(log.firstLsn()).isEqualTo(777);
        assertTold(told, 777, 2000);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theListenerDoesNotHearTheRecordsOfATornTail(String backend) throws IOException {
    try (Vfs vfs = TestStorage.of(backend, tempDir).open()) {
      try (WriteAheadLog log = WriteAheadLog.open(vfs, WriteAheadLogTest.small())) {
        for (long lsn = 1; lsn <= 10; lsn++) {
          log.append(Payloads.bytes(lsn, 90), tagOf(lsn)); // one batch each
        }
      }
      String segment = SegmentFiles.lastSegment(vfs);
      long[] ninth = SegmentFiles.recordRange(vfs, segment, 9);
      byte[] bytes = SegmentFiles.read(vfs, segment);
      Arrays.fill(bytes, (int) ninth[0], bytes.length, (byte) 0); // batches 9 and 10 never landed
      SegmentFiles.write(vfs, segment, bytes);
      List<WriteAheadLog> opened = new ArrayList<>();
      List<long[]> told = openAndListen(vfs, opened);
      try (WriteAheadLog log = opened.get(0)) {
        assertThat(log.lastLsn()).isEqualTo(8);
        assertTold(told, 1, 8);
      }
    }
  }
}
