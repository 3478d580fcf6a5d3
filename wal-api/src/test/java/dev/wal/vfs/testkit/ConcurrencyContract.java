package dev.wal.vfs.testkit;

import static dev.wal.vfs.testkit.VfsFixture.bytes;
import static dev.wal.vfs.testkit.VfsFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads on one handle: positional writes and reads, and flush beside writes. */
interface ConcurrencyContract extends VfsFixture {
  int THREADS = 4;
  int CHUNKS_PER_THREAD = 200;
  int CHUNK_BYTES = 4096 + 7; // not sector-aligned, so neighbours share sectors

  /** {@return the content chunk {@code i} of thread {@code t} writes} */
  private static byte[] chunk(int t, int i) {
    return bytes(CHUNK_BYTES, t * 1_000_003L + i);
  }

  private static long offset(int t, int i) {
    return ((long) i * THREADS + t) * CHUNK_BYTES;
  }

  private static byte[] expectedContent() {
    byte[] expected = new byte[THREADS * CHUNKS_PER_THREAD * CHUNK_BYTES];
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < CHUNKS_PER_THREAD; i++) {
        System.arraycopy(chunk(t, i), 0, expected, (int) offset(t, i), CHUNK_BYTES);
      }
    }
    return expected;
  }

  private static Concurrently.Task writer(VfsFile file, int t, boolean readBack) {
    return () -> {
      for (int i = 0; i < CHUNKS_PER_THREAD; i++) {
        byte[] chunk = chunk(t, i);
        ByteBuffer src =
            i % 2 == 0
                ? ByteBuffer.wrap(chunk)
                : ByteBuffer.allocateDirect(CHUNK_BYTES).put(chunk).flip();
        file.write(offset(t, i), src);
        if (readBack) {
          ByteBuffer dst = ByteBuffer.allocate(CHUNK_BYTES);
          file.readFully(offset(t, i), dst);
          assertThat(dst.array()).as("thread %s chunk %s", t, i).isEqualTo(chunk);
        }
      }
    };
  }

  @Test
  default void concurrentWritesAndReadsOfDisjointRangesEachSeeTheirOwnBytes() throws Exception {
    try (VfsFile file = vfs().open("a", OpenMode.CREATE_NEW)) {
      List<Concurrently.Task> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(writer(file, t, true));
      }
      Concurrently.run(tasks);
      assertThat(Arrays.equals(readAll(file), expectedContent())).isTrue();
    }
  }

  @Test
  default void flushRunsConcurrentlyWithWrites() throws Exception {
    try (VfsFile file = vfs().open("a", OpenMode.CREATE_NEW)) {
      AtomicInteger writersLeft = new AtomicInteger(THREADS);
      List<Concurrently.Task> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Concurrently.Task writer = writer(file, t, false);
        tasks.add(
            () -> {
              try {
                writer.run();
              } finally {
                writersLeft.decrementAndGet();
              }
            });
      }
      tasks.add(
          () -> {
            int i = 0;
            do {
              file.flush();
            } while (++i < 100_000 && writersLeft.get() > 0);
          });
      Concurrently.run(tasks);
      file.flush();
      assertThat(Arrays.equals(readAll(file), expectedContent())).isTrue();
    }
  }

  @Test
  default void directoryOperationsOnDistinctNamesRunConcurrently() throws Exception {
    List<Concurrently.Task> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(
          () -> {
            for (int i = 0; i < 50; i++) {
              String name = "t" + thread + "-" + i;
              VfsFixture.writeFile(vfs(), name, chunk(thread, i));
              vfs().rename(name, name + ".done");
              assertThat(vfs().exists(name + ".done")).isTrue();
              assertThat(vfs().list()).contains(name + ".done").doesNotContain(name);
              if (i % 2 == 0) {
                vfs().delete(name + ".done");
              }
            }
          });
    }
    Concurrently.run(tasks);
    List<String> expected = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      for (int i = 1; i < 50; i += 2) {
        expected.add("t" + t + "-" + i + ".done");
      }
    }
    expected.sort(null);
    assertThat(vfs().list()).isEqualTo(expected);
  }

  @Test
  default void ofThreadsRacingForOneLockExactlyOneGetsIt() throws Exception {
    List<VfsLock> won = new CopyOnWriteArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    List<Concurrently.Task> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Vfs through = t % 2 == 0 ? vfs() : openSecondVfs();
      tasks.add(
          () -> {
            try {
              won.add(through.lock("LOCK"));
            } catch (LockHeldException e) {
              refused.incrementAndGet();
            }
          });
    }
    Concurrently.run(tasks);
    assertThat(won).hasSize(1);
    assertThat(refused).hasValue(THREADS - 1);
    won.get(0).close();
  }
}
