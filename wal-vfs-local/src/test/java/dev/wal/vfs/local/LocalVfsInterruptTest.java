package dev.wal.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.FlushFailedException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thread interrupted during I/O closes a FileChannel; the handle must go on for the others. */
class LocalVfsInterruptTest {
  private static final int THREADS = 4;
  private static final int CHUNKS = 300;
  private static final int CHUNK_BYTES = 4096;
  /** Bounds a hung thread; not a speed requirement. */
  private static final long JOIN_SECONDS = 300;

  @TempDir java.nio.file.Path temp;

  private static byte[] chunk(int thread, int i) {
    byte[] bytes = new byte[CHUNK_BYTES];
    new SplittableRandom(thread * 100_003L + i).nextBytes(bytes);
    return bytes;
  }

  private static long offset(int thread, int i) {
    return ((long) i * THREADS + thread) * CHUNK_BYTES;
  }

  @Test
  void interruptingOneWriterDuringAWriteStormLeavesTheOthersAndTheDataRight() throws Exception {
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"));
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
      Semaphore victimProgress = new Semaphore(0);
      AtomicBoolean victimEndedInterrupted = new AtomicBoolean();
      Thread[] writers = new Thread[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        writers[t] =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < CHUNKS; i++) {
                      if (thread == 0 && i % 10 == 0) {
                        Thread.currentThread().interrupt(); // interrupted before the write starts
                      }
                      file.write(offset(thread, i), ByteBuffer.wrap(chunk(thread, i)));
                      if (thread == 0) {
                        victimProgress.release();
                      }
                    }
                    if (thread == 0) {
                      victimEndedInterrupted.set(Thread.interrupted());
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                },
                "writer-" + t);
      }
      for (Thread writer : writers) {
        writer.start();
      }
      // Interrupts from outside land at any moment, often inside the victim's I/O.
      for (int i = 0; i < 100 && writers[0].isAlive(); i++) {
        if (victimProgress.tryAcquire(1, TimeUnit.SECONDS)) {
          writers[0].interrupt();
        }
      }
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(JOIN_SECONDS));
        assertThat(writer.isAlive()).as("%s finished", writer.getName()).isFalse();
      }
      assertThat(failures).isEmpty();
      assertThat(victimEndedInterrupted).as("the victim's interrupt flag is restored").isTrue();
      assertThat(((LocalVfsFile) file).reopens()).as("the channel was reopened").isPositive();
      ByteBuffer content = ByteBuffer.allocate(THREADS * CHUNKS * CHUNK_BYTES);
      file.readFully(0, content);
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < CHUNKS; i++) {
          int from = (int) offset(t, i);
          byte[] actual = Arrays.copyOfRange(content.array(), from, from + CHUNK_BYTES);
          assertThat(actual).as("thread %s chunk %s", t, i).isEqualTo(chunk(t, i));
        }
      }
    }
  }

  @Test
  void anInterruptedReadIsRetriedAndKeepsTheFlag() throws IOException {
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"));
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW)) {
      file.write(0, ByteBuffer.wrap(chunk(0, 0)));
      ByteBuffer dst = ByteBuffer.allocate(CHUNK_BYTES);
      Thread.currentThread().interrupt();
      try {
        assertThat(file.read(0, dst)).isEqualTo(CHUNK_BYTES);
        assertThat(file.size()).isEqualTo(CHUNK_BYTES);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(dst.array()).isEqualTo(chunk(0, 0));
    }
  }

  @Test
  void anInterruptedFlushFailsAndPoisonsItsHandleButNotAnother() throws IOException {
    try (Vfs vfs = LocalVfs.open(temp.resolve("wal"));
        VfsFile file = vfs.open("a", OpenMode.CREATE_NEW);
        VfsFile other = vfs.open("a", OpenMode.EXISTING)) {
      file.write(0, ByteBuffer.wrap(chunk(0, 0)));
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(file::flush)
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(ClosedChannelException.class)
            .hasMessageContaining("interrupted");
      } finally {
        Thread.interrupted();
      }
      assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(1)))
          .isInstanceOf(FlushFailedException.class);
      assertThatThrownBy(file::flush).isInstanceOf(FlushFailedException.class);
      ByteBuffer dst = ByteBuffer.allocate(CHUNK_BYTES);
      file.readFully(0, dst);
      assertThat(dst.array()).isEqualTo(chunk(0, 0));
      other.write(CHUNK_BYTES, ByteBuffer.wrap(chunk(0, 1)));
      other.flush();
      assertThat(other.size()).isEqualTo(2L * CHUNK_BYTES);
    }
  }
}
