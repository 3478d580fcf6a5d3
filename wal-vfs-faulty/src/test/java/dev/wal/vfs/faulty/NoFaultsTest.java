package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * With no faults configured, a {@link FaultyVfs} answers every call as the storage under it
 * does: random operations run on both side by side and must give the same results and errors.
 * (The conformance kit checks the contract itself once it is on this module's class path.)
 */
class NoFaultsTest {
  private static final String[] NAMES = {"a", "b", "c"};

  @Test
  void withNoFaultsEveryCallAnswersAsTheInnerStorage() throws IOException {
    long seed = Files.testSeed();
    try (FaultyVfs faulty = Files.faulty(); Vfs plain = Files.freshStorage()) {
      SplittableRandom random = new SplittableRandom(seed);
      for (int step = 0; step < 5_000; step++) {
        int action = random.nextInt(9);
        String name = NAMES[random.nextInt(NAMES.length)];
        long offset = random.nextInt(3000);
        int length = random.nextInt(600);
        String other = NAMES[random.nextInt(NAMES.length)];
        Object expected = apply(plain, action, name, other, offset, length, seed + step);
        Object actual = apply(faulty, action, name, other, offset, length, seed + step);
        assertThat(actual).as("step %s, %s", step, Files.reproduce(NoFaultsTest.class, seed))
            .isEqualTo(expected);
      }
      assertThat(faulty.list()).isEqualTo(plain.list());
    }
  }

  /** Runs one operation and describes its result or its error. */
  private static Object apply(Vfs vfs, int action, String name, String other, long offset,
      int length, long dataSeed) {
    Throwable failure = catchThrowable(() -> {
      throw new Result(run(vfs, action, name, other, offset, length, dataSeed));
    });
    return failure instanceof Result result ? result.value
        : failure.getClass().getSimpleName();
  }

  private static String run(Vfs vfs, int action, String name, String other, long offset,
      int length, long dataSeed) throws IOException {
    switch (action) {
      case 0, 1 -> {
        byte[] data = new byte[length];
        new SplittableRandom(dataSeed).nextBytes(data);
        try (VfsFile file = vfs.open(name, Vfs.OpenMode.CREATE)) {
          file.write(offset, ByteBuffer.wrap(data));
          return "size " + file.size();
        }
      }
      case 2 -> {
        try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
          ByteBuffer buffer = ByteBuffer.allocate(length);
          int read = file.read(offset, buffer);
          return read + ":" + java.util.Arrays.toString(buffer.array());
        }
      }
      case 3 -> {
        try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
          file.truncate(offset);
          file.flush();
          return "size " + file.size();
        }
      }
      case 4 -> {
        vfs.rename(name, other);
        return "renamed";
      }
      case 5 -> {
        vfs.delete(name);
        return "deleted";
      }
      case 6 -> {
        vfs.open(name, Vfs.OpenMode.CREATE_NEW).close();
        return "created";
      }
      case 7 -> {
        vfs.syncDirectory();
        return vfs.list().toString();
      }
      default -> {
        return vfs.exists(name) + " " + vfs.list();
      }
    }
  }

  /** Carries a result out of the lambda, so that results and errors compare alike. */
  private static final class Result extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String value;

    Result(String value) {
      super(null, null, false, false);
      this.value = value;
    }
  }
}
