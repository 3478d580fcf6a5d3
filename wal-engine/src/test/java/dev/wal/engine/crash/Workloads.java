package dev.wal.engine.crash;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The suite's workloads. Each runs until done or until the first I/O error (a crash point halts
 * the storage, so every later call fails), and returns that error, or null.
 */
final class Workloads {
  private Workloads() {}

  /**
   * One thread: open (checked), {@code steps} operations of every kind (truncations and reopens
   * included), close. The operations replay from the seed; the log's background flusher and spare
   * preparer still interleave their I/O as the scheduler lets them.
   *
   * @return the first I/O error, or null if the workload finished
   */
  static IOException sequential(Vfs vfs, WalConfig config, DurabilityOracle oracle, long seed,
      int steps) {
    SplittableRandom random = new SplittableRandom(seed);
    return oneThread(vfs, config, oracle, driver -> {
      for (int i = 0; i < steps; i++) {
        driver.step(random, true);
      }
    });
  }

  /**
   * One thread, as a log truncated behind its appends runs: appends (waiting or not) until a
   * segment rotates, then {@code truncateBefore} the last record, {@code rotations} times; with
   * preallocation, the dropped segments become later ones (recycled), and appends go into files
   * that hold old records. Ends with a close.
   *
   * @return the first I/O error, or null if the workload finished
   */
  static IOException truncatedBehind(Vfs vfs, WalConfig config, DurabilityOracle oracle,
      long seed, int rotations) {
    SplittableRandom random = new SplittableRandom(seed);
    return oneThread(vfs, config, oracle, driver -> {
      for (int r = 0; r < rotations; r++) {
        long segments = segmentCount(vfs);
        for (int i = 0; i < 500 && segmentCount(vfs) == segments; i++) {
          driver.append(random, random.nextBoolean());
        }
        driver.truncateBehind();
      }
    });
  }

  /** What one thread does with the log between opening and closing it. */
  private interface Steps {
    void run(LogDriver driver) throws IOException;
  }

  /**
   * Opens the log (checked), runs {@code steps} on one driver, closes the log (the driver's: a
   * reopen among the steps replaces it). {@return the first I/O error, or null}
   */
  private static IOException oneThread(Vfs vfs, WalConfig config, DurabilityOracle oracle,
      Steps steps) {
    WriteAheadLog log = null;
    LogDriver driver = null;
    try {
      log = LogDriver.openChecked(vfs, config, oracle, "opening " + vfs.spec());
      driver = new LogDriver(vfs, config, oracle, log);
      steps.run(driver);
      WriteAheadLog last = driver.log();
      driver = null;
      last.close();
      return null;
    } catch (IOException e) {
      if (driver != null) {
        LogDriver.closeQuietly(driver.log());
      } else if (log != null) {
        LogDriver.closeQuietly(log);
      }
      return e;
    }
  }

  private static long segmentCount(Vfs vfs) throws IOException {
    return vfs.list().stream().filter(name -> name.matches("\\d{20}\\.wal")).count();
  }

  /**
   * Several threads in phases: in each phase {@code threads} drivers run {@code stepsPerThread}
   * operations on one log at once (appends one at a time and in batches, waits, flushes,
   * truncateBefore); between phases one thread truncates the tail, resets or reopens. Stops at the
   * first I/O error of any thread.
   *
   * @param listener told when each phase starts and ends
   * @return the first I/O error, or null
   */
  static IOException concurrent(Vfs vfs, WalConfig config, DurabilityOracle oracle, long seed,
      int phases, int threads, int stepsPerThread, PhaseListener listener) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    WriteAheadLog log;
    try {
      log = LogDriver.openChecked(vfs, config, oracle, "opening " + vfs.spec());
    } catch (IOException e) {
      return e;
    }
    try {
      for (int phase = 0; phase < phases; phase++) {
        listener.onPhaseStart();
        IOException failure = phase(log, vfs, config, oracle, random, threads, stepsPerThread);
        listener.onPhaseEnd();
        if (failure != null) {
          return failure;
        }
        LogDriver alone = new LogDriver(vfs, config, oracle, log);
        alone.stepAlone(random);
        log = alone.log();
      }
      WriteAheadLog last = log;
      log = null;
      last.close();
      return null;
    } catch (IOException e) {
      return e;
    } finally {
      if (log != null) {
        LogDriver.closeQuietly(log);
      }
    }
  }

  /** Told when the threads of a phase start, and when they all ended. */
  interface PhaseListener {
    void onPhaseStart();

    /** Called with no driver running, before the one-thread step between phases. */
    void onPhaseEnd() throws Exception;
  }

  private static IOException phase(WriteAheadLog log, Vfs vfs, WalConfig config,
      DurabilityOracle oracle, SplittableRandom random, int threads, int steps)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom own = random.split();
      Thread worker = new Thread(() -> {
        LogDriver driver = new LogDriver(vfs, config, oracle, log);
        try {
          start.await();
          for (int i = 0; i < steps; i++) {
            driver.step(own, false);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "crash-suite-driver-" + t);
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.MINUTES.toMillis(1));
      if (worker.isAlive()) {
        failures.add(new AssertionError(worker.getName() + " did not finish within a minute"));
      }
    }
    IOException first = null;
    for (Throwable failure : failures) {
      if (failure instanceof IOException io) {
        first = first == null ? io : first;
      } else if (failure instanceof Error error) {
        throw error;
      } else {
        throw new AssertionError("a driver failed: " + failure, failure);
      }
    }
    return first;
  }
}
