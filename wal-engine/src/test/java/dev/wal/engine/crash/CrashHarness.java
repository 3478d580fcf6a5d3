package dev.wal.engine.crash;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.InjectedFault;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Storage, configurations, bounded runs and image checks shared by the crash suite's tests. */
final class CrashHarness {
  /** The tear unit of every faulty storage here: a 512-byte sector. */
  static final int SECTOR_BYTES = 512;

  /** How long one workload may run before the suite calls it a hang. */
  static final Duration HANG_LIMIT = Duration.ofSeconds(60);

  private static final ExecutorService RUNNER = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "crash-suite-workload");
    thread.setDaemon(true);
    return thread;
  });

  private CrashHarness() {}

  /** A workload body that may fail with an I/O error. */
  interface Body<T> {
    T run() throws Exception;
  }

  /** {@return small segments and buffers, so that a short workload rotates and seals often} */
  static WalConfig smallConfig(SplittableRandom random) {
    int buffer = 4096 << random.nextInt(2);
    long segment = 16384L << random.nextInt(3);
    return WalConfig.builder()
        .segmentBytes(segment)
        .bufferBytes(buffer)
        .maxRecordBytes((int) Math.min(2L * buffer, segment - 8192 - 64))
        .preallocate(random.nextInt(4) != 0)
        .flushInterval(Duration.ofMillis(random.nextInt(3) == 0 ? 1 : 10_000))
        .build();
  }

  /**
   * {@return 8 or 12 KiB segments (4 or 8 KiB of records each), so that even a short workload
   * rotates: a sweep's cost grows with the square of its operations, so its workloads are short}
   */
  static WalConfig rotatingConfig(SplittableRandom random) {
    long segment = 8192L + 4096L * random.nextInt(2);
    return WalConfig.builder()
        .segmentBytes(segment)
        .bufferBytes(4096)
        .maxRecordBytes((int) segment - 4096 - 64)
        .preallocate(random.nextInt(4) != 0)
        .flushInterval(Duration.ofMillis(random.nextInt(3) == 0 ? 1 : 10_000))
        .build();
  }

  /** {@return a fresh faulty storage over an empty memory storage} */
  static FaultyVfs faulty(FaultConfig.Builder config) throws IOException {
    return FaultyVfs.open(Scratch.take(), config.sectorSize(SECTOR_BYTES).build());
  }

  /** {@return an empty storage to receive a crash image} */
  static Vfs target() throws IOException {
    return Vfs.open(Scratch.take());
  }

  /** Closes a storage and empties its memory storage for reuse. */
  static void release(Vfs vfs) throws IOException {
    String spec = vfs.spec();
    vfs.close();
    Scratch.release(innerSpec(spec));
  }

  private static String innerSpec(String spec) {
    if (!spec.startsWith("faulty:")) {
      return spec;
    }
    String inner = spec.substring("faulty:".length());
    int query = inner.lastIndexOf('?');
    return query < 0 ? inner : inner.substring(0, query);
  }

  /** {@return crash options drawn from {@code random}: mostly power losses of every kind} */
  static CrashOptions crashOptions(SplittableRandom random) {
    if (random.nextInt(10) == 0) {
      return CrashOptions.processCrash().seed(random.nextLong());
    }
    CrashOptions options = CrashOptions.powerLoss().seed(random.nextLong());
    options = switch (random.nextInt(4)) {
      case 0 -> options.unflushed(CrashOptions.Unflushed.NONE, 0);
      case 1 -> options.unflushed(CrashOptions.Unflushed.ALL, 1);
      default -> options.unflushed(CrashOptions.Unflushed.SUBSET, random.nextDouble());
    };
    EnumSet<CrashOptions.TornFill> fills = EnumSet.noneOf(CrashOptions.TornFill.class);
    for (CrashOptions.TornFill fill : CrashOptions.TornFill.values()) {
      if (random.nextBoolean()) {
        fills.add(fill);
      }
    }
    if (fills.isEmpty()) {
      fills.add(CrashOptions.TornFill.GARBAGE);
    }
    options = options.torn(random.nextDouble(), random.nextDouble(0.5), fills);
    CrashOptions.DirectoryChanges[] changes = CrashOptions.DirectoryChanges.values();
    return options.directoryChanges(changes[random.nextInt(changes.length)]);
  }

  /**
   * Recovers the log on a crash image and checks it: recovery must succeed (a torn tail never
   * stops it) and keep the promise. Closes and releases the image.
   *
   * @return how many records the recovered log holds
   */
  static long checkImage(FaultyVfs image, WalConfig config, DurabilityOracle oracle,
      DurabilityOracle.Promise promise, String context) throws IOException {
    try {
      DurabilityOracle.Verdict verdict;
      try (WriteAheadLog log = WriteAheadLog.open(image, config)) {
        verdict = oracle.check(log, promise);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError(context + ": recovery on the crash image failed: " + e
            + "\n" + tail(image), e);
      }
      CrashCounts.CRASH_STATES.incrementAndGet();
      CrashCounts.RECORDS_LOST.addAndGet(verdict.lost());
      CrashCounts.RECORDS_CHECKED.addAndGet(verdict.serials().size());
      verdict.assertKept(context + "\n" + tail(image));
      return verdict.serials().size();
    } finally {
      release(image);
    }
  }

  /** {@return the end of a storage's trace, for failure messages} */
  static String tail(FaultyVfs vfs) {
    String trace = vfs.printTrace();
    int from = Math.max(0, trace.length() - 6000);
    return "trace of " + vfs.spec() + " (end):\n" + trace.substring(from);
  }

  /**
   * Checks that a failure a workload met is one the faults explain: the injected error itself or
   * {@link dev.wal.LogFailedException} carrying it. Anything else is a bug.
   */
  static void assertInjected(Throwable failure, String context) {
    if (!InjectedFault.isInjected(failure)) {
      throw new AssertionError(context + ": a workload failed with an error no fault explains: "
          + failure, failure);
    }
  }

  /** Runs a workload on another thread, failing if it does not finish within the hang limit. */
  static <T> T bounded(Body<T> body, String context) throws Exception {
    Future<T> future = RUNNER.submit(body::run);
    try {
      return future.get(HANG_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AssertionError(context + ": the workload hung for " + HANG_LIMIT, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw new AssertionError(context, e.getCause());
    }
  }
}
