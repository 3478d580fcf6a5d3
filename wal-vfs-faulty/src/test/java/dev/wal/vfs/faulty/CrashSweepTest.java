package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweep the crash suite will run on the log, on a toy append-only store: crash after every
 * operation index in turn, and check that everything acknowledged before that point survived.
 */
class CrashSweepTest {
  private static final int RECORDS = 12;
  /**
   * One sector per record: with records sharing a sector, a torn write of an unacknowledged
   * record may destroy the acknowledged one before it (no power-safe overwrite), and this toy
   * store would rightly fail.
   */
  private static final int RECORD_BYTES = 512;

  @Test
  void everyAcknowledgedRecordSurvivesACrashAfterAnyOperation() throws IOException {
    long seed = Files.testSeed();
    long operations;
    try (FaultyVfs dryRun = Files.faulty(FaultConfig.builder().seed(seed).build())) {
      workload(dryRun);
      operations = dryRun.operationCount();
    }
    assertThat(operations).isGreaterThan(3 * RECORDS);
    for (long k = 1; k <= operations; k++) {
      try (FaultyVfs vfs = Files.faulty(FaultConfig.builder().seed(seed).build())) {
        CrashPoint point = vfs.crashAfter(k, CrashOptions.powerLoss().seed(seed + k),
            Files.freshStorage());
        List<Integer> acknowledged = workload(vfs);
        try (FaultyVfs image = point.image().orElseThrow()) {
          List<Integer> recovered = recover(image);
          String context = "crash after operation " + k + "; "
              + Files.reproduce(CrashSweepTest.class, seed);
          assertThat(recovered.size()).as(context).isGreaterThanOrEqualTo(acknowledged.size());
          assertThat(recovered.subList(0, acknowledged.size())).as(context)
              .isEqualTo(acknowledged);
        }
      }
    }
  }

  /** Appends records, each flushed then acknowledged; stops at the first error (the crash). */
  private static List<Integer> workload(FaultyVfs vfs) {
    List<Integer> acknowledged = new ArrayList<>();
    try {
      try (VfsFile log = vfs.open("log", Vfs.OpenMode.CREATE_NEW)) {
        vfs.syncDirectory();
        for (int i = 0; i < RECORDS; i++) {
          byte[] record = new byte[RECORD_BYTES];
          java.util.Arrays.fill(record, (byte) (i + 1));
          log.write((long) i * RECORD_BYTES, ByteBuffer.wrap(record));
          log.flush();
          acknowledged.add(i + 1);
          vfs.mark("acknowledged record " + (i + 1));
        }
      }
    } catch (IOException e) {
      assertThat(InjectedFault.isInjected(e)).as("%s", e).isTrue();
    }
    return acknowledged;
  }

  /** Reads whole records of one byte value until the first torn or missing one. */
  private static List<Integer> recover(Vfs image) throws IOException {
    List<Integer> records = new ArrayList<>();
    if (!image.exists("log")) {
      return records;
    }
    byte[] content = Files.readAll(image, "log");
    for (int i = 0; (i + 1) * RECORD_BYTES <= content.length; i++) {
      byte first = content[i * RECORD_BYTES];
      for (int j = 1; j < RECORD_BYTES; j++) {
        if (content[i * RECORD_BYTES + j] != first || first != i + 1) {
          return records;
        }
      }
      records.add(i + 1);
    }
    return records;
  }
}
