package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.engine.WalConfig;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.faulty.TraceEvent;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Crashes a one-thread workload (appends of every kind, atomic batches included, flushes, rotation
 * through small segments, both truncations, resets, reopens) after each of its I/O operations in
 * turn, recovers the log on the crash image and checks it against what was acknowledged before
 * the crash.
 */
class CrashSweepTest {
  /** Workloads swept; each is crashed after every one of its operations. */
  static final int WORKLOADS = 10;
  static final int STEPS = 40;

  /** Workloads of a log truncated behind its appends, which go through recycled segments. */
  static final int TRUNCATED_BEHIND_WORKLOADS = 2;

  /** A workload run on a storage, replayable from its seed. */
  interface Workload {
    /** {@return the first I/O error, or null if the workload finished} */
    IOException run(FaultyVfs vfs, WalConfig config, DurabilityOracle oracle, long seed)
        throws Exception;
  }

  /** Small preallocated segments: what a dropped segment must be to be recycled. */
  private static WalConfig recyclingConfig(SplittableRandom random) {
    long segment = 8192L + 4096L * random.nextInt(2);
    return WalConfig.builder()
        .segmentBytes(segment)
        .bufferBytes(4096)
        .maxRecordBytes((int) segment - 4096 - 64)
        .flushInterval(Duration.ofMillis(random.nextInt(3) == 0 ? 1 : 10_000))
        .build();
  }

  @Test
  void aCrashAfterAnyOperationKeepsEveryAcknowledgedRecord() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long states = 0;
    Map<String, Long> before = done();
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int w = 0; w < WORKLOADS; w++) {
        states += sweep(random.split(), STEPS);
      }
      for (int w = 0; w < TRUNCATED_BEHIND_WORKLOADS; w++) {
        states += sweepTruncatedBehind(random.split(), 4);
      }
      // The sweep proves nothing about an operation its workloads never ran.
      Map<String, Long> after = done();
      for (String kind : List.of("append", "appendNoWait", "appendAll", "appendAllNoWait",
          "waitFor", "flush", "truncateBefore", "truncateAfter", "reset", "reopen", "rotation",
          "recycled segment")) {
        assertThat(after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L))
            .as("%s done by the swept workloads", kind).isPositive();
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, CrashSweepTest.class, seed);
    }
    CrashCounts.print(CrashSweepTest.class, "", states, 0,
        (System.nanoTime() - started) / 1_000_000);
    // With IoErrorSweepTest (a power loss after each of its 500+ faults) and the others, the
    // default run explores over 2,000 crash states; CrashSuiteTotalsTest checks the sum.
    assertThat(states).isGreaterThanOrEqualTo(1200);
  }

  private static Map<String, Long> done() {
    Map<String, Long> counts = new HashMap<>();
    LogDriver.DONE.forEach((kind, count) -> counts.put(kind, count.sum()));
    return counts;
  }

  /** Sweeps a one-thread workload of {@code steps} operations of every kind. */
  static long sweep(SplittableRandom random, int steps) throws Exception {
    return sweep(random, CrashHarness.rotatingConfig(random),
        (vfs, config, oracle, seed) -> Workloads.sequential(vfs, config, oracle, seed, steps));
  }

  /** Sweeps a workload that truncates behind its appends through {@code rotations} rotations. */
  static long sweepTruncatedBehind(SplittableRandom random, int rotations) throws Exception {
    return sweep(random, recyclingConfig(random),
        (vfs, config, oracle, seed) ->
            Workloads.truncatedBehind(vfs, config, oracle, seed, rotations));
  }

  /**
   * Sweeps one workload: counts its operations in a run without a crash, then crashes a run after
   * each operation index. {@return the crash states checked}
   */
  static long sweep(SplittableRandom random, WalConfig config, Workload workload)
      throws Exception {
    long workloadSeed = random.nextLong();
    long faultSeed = random.nextLong();
    long operations;
    FaultyVfs dry = CrashHarness.faulty(FaultConfig.builder().seed(faultSeed));
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      IOException failure = CrashHarness.bounded(
          () -> workload.run(dry, config, oracle, workloadSeed), "dry run");
      if (failure != null) {
        throw new AssertionError("a run without faults failed", failure);
      }
      operations = dry.operationCount();
      // Rotation: the run touched more than one segment file.
      long segments = dry.trace().stream().map(TraceEvent::file)
          .filter(name -> name != null && name.matches("\\d{20}\\.wal")).distinct().count();
      LogDriver.DONE.computeIfAbsent("rotation", k -> new LongAdder()).add(segments - 1);
      // A spare made from a dropped segment: the kept file renamed to the spare.
      long recycled = dry.trace().stream().filter(event -> event.kind() == OpKind.RENAME
          && "recycled.wal.tmp".equals(event.file())).count();
      LogDriver.DONE.computeIfAbsent("recycled segment", k -> new LongAdder()).add(recycled);
    } finally {
      CrashHarness.release(dry);
    }
    long states = 0;
    for (long k = 1; k <= operations; k++) {
      states += crashAfter(k, random, config, workloadSeed, faultSeed, workload);
    }
    return states;
  }

  private static long crashAfter(long k, SplittableRandom random, WalConfig config,
      long workloadSeed, long faultSeed, Workload workload) throws Exception {
    String context = "crash after operation " + k + " of workload " + workloadSeed + " with "
        + config;
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder().seed(faultSeed));
    try {
      CrashPoint point = vfs.crashAfter(k, CrashHarness.crashOptions(random),
          CrashHarness.target());
      DurabilityOracle oracle = new DurabilityOracle();
      IOException failure = CrashHarness.bounded(
          () -> workload.run(vfs, config, oracle, workloadSeed), context);
      if (failure != null) {
        CrashHarness.assertInjected(failure, context);
      }
      Optional<FaultyVfs> image = point.image();
      if (image.isEmpty()) {
        return 0; // the threads interleaved so that this run had fewer operations
      }
      CrashHarness.checkImage(image.get(), config, oracle, oracle.promise(), context);
      return 1;
    } finally {
      CrashHarness.release(vfs);
    }
  }
}
