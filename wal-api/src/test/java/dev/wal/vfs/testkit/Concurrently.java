package dev.wal.vfs.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs tasks on their own threads, released together by a latch, bounded in time. */
final class Concurrently {
  /** Bounds a hung task; not a speed requirement. */
  static final long TIMEOUT_SECONDS = 300;

  private Concurrently() {}

  /** A task that may throw anything. */
  interface Task {
    void run() throws Exception;
  }

  /** Runs every task at once and rethrows the first failure, with the others suppressed. */
  static void run(List<Task> tasks) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (Task task : tasks) {
        Callable<Void> gated =
            () -> {
              start.await();
              task.run();
              return null;
            };
        futures.add(threads.submit(gated));
      }
      start.countDown();
      Exception failure = null;
      for (Future<?> future : futures) {
        try {
          future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Exception cause = e.getCause() instanceof Exception c ? c : e;
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        } catch (TimeoutException e) {
          throw new AssertionError("a task did not finish within " + TIMEOUT_SECONDS + " s", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
