package dev.wal.engine;

import java.io.Closeable;
import java.io.IOException;

/** Closing several resources after an error, keeping the first error and suppressing the rest. */
final class Closing {
  private Closing() {}

  /**
   * Closes {@code resource} (if not null).
   *
   * @param failure the error so far, or null
   * @return {@code failure}, with a close error suppressed in it; or the close error if there was
   *     none before; or null
   */
  static IOException closeKeepingFirst(Closeable resource, IOException failure) {
    if (resource == null) {
      return failure;
    }
    try {
      resource.close();
      return failure;
    } catch (IOException e) {
      if (failure == null) {
        return e;
      }
      failure.addSuppressed(e);
      return failure;
    }
  }
}
