package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 4;
  private static final int WRITES = 200;
  private static final int CHUNK = 64;

  @Test
  void concurrentWritesAndFlushesAreTracedInOneOrderAndFlushedDataSurvivesACrash()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (FaultyVfs vfs = Files.faulty();
        VfsFile file = vfs.open("shared", Vfs.OpenMode.CREATE_NEW)) {
      vfs.syncDirectory();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < WRITES; i++) {
            byte[] data = Files.filled(CHUNK, thread + 1);
            file.write(((long) i * THREADS + thread) * CHUNK, ByteBuffer.wrap(data));
            if (i % 10 == 9) {
              file.flush();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      file.flush();
      List<TraceEvent> trace = vfs.trace();
      for (int i = 0; i < trace.size(); i++) {
        assertThat(trace.get(i).index()).isEqualTo(i + 1L);
      }
      CrashOptions none = CrashOptions.powerLoss().unflushed(CrashOptions.Unflushed.NONE, 0);
      try (FaultyVfs image = vfs.crash(none, Files.freshStorage())) {
        byte[] content = Files.readAll(image, "shared");
        assertThat(content).hasSize(THREADS * WRITES * CHUNK);
        for (int chunk = 0; chunk < THREADS * WRITES; chunk++) {
          assertThat(content[chunk * CHUNK]).isEqualTo((byte) (chunk % THREADS + 1));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
