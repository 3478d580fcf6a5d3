package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each contender's store keeps: the benchmark is only fair if they all store everything. */
class StoreTest {
  private static final long PREALLOCATED_BYTES = 1 << 20;

  @TempDir Path dir;

  static Stream<Contender> recoveringContenders() {
    return Contenders.all(PREALLOCATED_BYTES).values().stream().filter(c -> c.runs(Workload.RECOVERY));
  }

  static Stream<Contender> durableContenders() {
    return Contenders.all(PREALLOCATED_BYTES).values().stream().filter(c -> c.runs(Workload.DURABLE));
  }

  @ParameterizedTest
  @MethodSource("recoveringContenders")
  void scanAfterReopenReadsBackEveryRecordAppended(Contender contender) throws IOException {
    int records = 3_000;
    int recordBytes = 700; // frames straddle the 1 MiB chunks of the sequential file
    try (Store store = contender.create(Workload.RECOVERY, dir, 1, recordBytes)) {
      ByteBuffer payload = Payloads.random(recordBytes, 7);
      for (int i = 0; i < records; i++) {
        payload.rewind();
        store.appendNoWait(payload);
      }
      store.flush();
      List<Integer> sizes = new ArrayList<>();
      try (Store.Scan scan = store.reopen()) {
        for (int size = scan.next(); size >= 0 && sizes.size() <= records; size = scan.next()) {
          sizes.add(size);
        }
      }
      assertThat(sizes).hasSize(records).containsOnly(recordBytes);
    }
  }

  @ParameterizedTest
  @MethodSource("durableContenders")
  void durableAppendsFromManyThreadsAllReturn(Contender contender) throws Exception {
    int threads = 4;
    int perThread = 50;
    try (Store store = contender.create(Workload.DURABLE, dir, threads, 128)) {
      appendConcurrently(store, threads, perThread, 128);
    }
  }

  @Test
  void idealGroupCommitWritesEveryRecordOfEveryThreadIntoItsFile() throws Exception {
    int threads = 8;
    int perThread = 200;
    int recordBytes = 100;
    Contender ideal = new IdealGroupCommitContender(PREALLOCATED_BYTES);
    try (Store store = ideal.create(Workload.DURABLE, dir, threads, recordBytes)) {
      appendConcurrently(store, threads, perThread, recordBytes);
    }
    // 8 x 200 x 104 bytes fit the 1 MiB file, so nothing wrapped: frames run from offset 0 up to
    // the preallocated zeros.
    ByteBuffer file = ByteBuffer.allocate((int) PREALLOCATED_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(dir.resolve("ideal-group-commit.dat"), StandardOpenOption.READ)) {
      DiskFilesTest.readFully(channel, file);
    }
    file.flip();
    int frames = 0;
    while (file.remaining() >= 4 && file.getInt(file.position()) != 0) {
      assertThat(file.getInt()).isEqualTo(recordBytes);
      file.position(file.position() + recordBytes);
      frames++;
    }
    assertThat(frames).isEqualTo(threads * perThread);
  }

  @Test
  void preallocatedForceEachFileKeepsItsSize() throws IOException {
    Contender contender = ForceEachContender.preallocated(64 * 1024);
    try (Store store = contender.create(Workload.DURABLE, dir, 1, 4096)) {
      ByteBuffer payload = Payloads.random(4096, 1);
      for (int i = 0; i < 40; i++) { // 160 KiB through a 64 KiB ring
        payload.rewind();
        store.append(payload);
      }
    }
    assertThat(Files.size(dir.resolve("force-each.dat"))).isEqualTo(64 * 1024);
  }

  static Stream<Contender> logContenders() {
    return Stream.of(LogContender.local(), LogContender.memory());
  }

  @ParameterizedTest
  @MethodSource("logContenders")
  void steadyLogStoreTruncatesBehindItsAppendersAndSaysSoInItsNote(Contender contender)
      throws IOException {
    int recordBytes = 64 << 10; // so that a truncation comes every few hundred records
    long keep = LogContender.steadyKeepRecords(recordBytes);
    String note = "";
    try (Store store = contender.create(Workload.STEADY, dir, 1, recordBytes)) {
      ByteBuffer payload = Payloads.random(recordBytes, 3);
      for (int i = 0; i < 100 * keep && !note.startsWith("truncations: 1,"); i++) {
        payload.rewind();
        store.append(payload);
        note = store.note();
      }
    }
    assertThat(note)
        .startsWith(String.format("truncations: 1, each keeping %,d records, ", keep))
        .contains(" ms on average, at most ", " first LSN ");
  }

  @Test
  void durableLogStoreHasNoCheckpointerAndNoNote() throws IOException {
    try (Store store = LogContender.memory().create(Workload.DURABLE, dir, 1, 128)) {
      store.append(Payloads.random(128, 1));
      assertThat(store.note()).isEmpty();
    }
  }

  private static void appendConcurrently(Store store, int threads, int perThread, int recordBytes)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      ByteBuffer payload = Payloads.random(recordBytes, t);
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    payload.rewind();
                    store.append(payload);
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    for (Thread thread : running) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(thread.isAlive()).as("appender still running after 60 s").isFalse();
    }
    assertThat(failures).isEmpty();
  }
}
