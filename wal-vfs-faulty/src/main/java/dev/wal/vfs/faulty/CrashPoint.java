package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.Optional;

/**
 * A crash armed with {@link FaultyVfs#crashAfter(long, CrashOptions, Vfs)}: right after the
 * operation of that index finishes, the image is taken and the storage halts, so every later call
 * fails as if the process had died there. Safe for use by many threads.
 */
public final class CrashPoint {
  private final long operationIndex;
  private final CrashOptions options;
  private final Vfs target;
  private FaultyVfs image;
  private IOException failure;

  CrashPoint(long operationIndex, CrashOptions options, Vfs target) {
    this.operationIndex = operationIndex;
    this.options = options;
    this.target = target;
  }

  /** {@return the index of the operation after which the crash happens} */
  public long operationIndex() {
    return operationIndex;
  }

  synchronized void fire(FaultyVfs vfs) {
    try {
      image = vfs.crash(options, target);
    } catch (IOException e) {
      failure = e;
    }
  }

  /**
   * Returns the crash image, once the crash happened.
   *
   * @return the image, or empty if the workload ended before that operation
   * @throws IOException if writing the image failed
   */
  public synchronized Optional<FaultyVfs> image() throws IOException {
    if (failure != null) {
      throw new IOException("taking the crash image after operation #" + operationIndex
          + " failed", failure);
    }
    return Optional.ofNullable(image);
  }
}
