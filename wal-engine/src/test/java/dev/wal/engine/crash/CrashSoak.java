package dev.wal.engine.crash;

import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.testkit.TestSeed;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The crash suite as a soak: runs every kind of the suite's rounds, drawn from one seed, for
 * {@code -Dwal.soak.minutes} minutes (or {@code -Dwal.soak.iterations} rounds), printing progress
 * every 30 seconds and, at the end, the crash states explored, faults injected and acknowledged
 * records lost. Not part of the default test run (its name does not end in Test); run it with:
 *
 * <pre>
 * mvn -B verify -pl wal-engine -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CrashSoak \
 *     -Dwal.soak.minutes=30
 * </pre>
 *
 * <p>A failing round prints its own seed and the command that replays just that round
 * ({@code -Dwal.soak.round=<seed>}); {@code -Dwal.tests.seed} replays the whole soak's rounds.
 */
class CrashSoak {
  private static final int KINDS = 10;

  @Test
  void soak() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("wal.soak.minutes", "1"));
    long iterations = Long.parseLong(System.getProperty("wal.soak.iterations", "0"));
    String replay = System.getProperty("wal.soak.round", "").strip();
    if (!replay.isEmpty()) {
      runRound(Long.parseLong(replay));
      System.out.println("[crash soak] round " + replay + " passed: " + CrashCounts.summary());
      return;
    }
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long deadline = started + Duration.ofSeconds((long) (minutes * 60)).toNanos();
    long nextReport = started + Duration.ofSeconds(30).toNanos();
    System.out.println("[crash soak] seed " + seed + ", "
        + (iterations > 0 ? iterations + " rounds" : minutes + " minutes"));
    SplittableRandom random = new SplittableRandom(seed);
    long round = 0;
    while (iterations > 0 ? round < iterations : System.nanoTime() - deadline < 0) {
      long roundSeed = random.nextLong();
      try {
        runRound(roundSeed);
      } catch (Throwable e) {
        System.out.println("[crash soak] FAILED in round " + round + " (seed " + roundSeed
            + ") after " + elapsed(started) + ": " + CrashCounts.summary());
        throw new AssertionError("round " + round + " failed with seed " + roundSeed + ": " + e
            + "\n  replay that round with: mvn -B verify -pl wal-engine -am"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CrashSoak -Dwal.soak.round="
            + roundSeed, e);
      }
      round++;
      if (System.nanoTime() - nextReport > 0) {
        nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        System.out.println("[crash soak] " + elapsed(started) + ", " + round + " rounds: "
            + CrashCounts.summary());
      }
    }
    System.out.println("[crash soak] done: " + round + " rounds in " + elapsed(started) + ". "
        + "States explored: " + CrashCounts.CRASH_STATES.get() + ", faults injected: "
        + (CrashCounts.IO_ERRORS.get() + CrashCounts.SILENT_FAULTS.get())
        + ", records lost: " + CrashCounts.RECORDS_LOST.get());
    if (CrashCounts.RECORDS_LOST.get() != 0) {
      throw new AssertionError(CrashCounts.RECORDS_LOST.get() + " acknowledged records lost");
    }
  }

  /** One round of one kind, all drawn from {@code roundSeed}. */
  static void runRound(long roundSeed) throws Exception {
    SplittableRandom random = new SplittableRandom(roundSeed);
    switch (random.nextInt(KINDS)) {
      case 0 -> CrashSweepTest.sweep(random, 20 + random.nextInt(40));
      case 1 -> IoErrorSweepTest.sweep(random, 10 + random.nextInt(30),
          IoErrorSweepTest.Style.values()[random.nextInt(3)],
          FlushFailureMode.values()[random.nextInt(3)]);
      case 2 -> ConcurrentCrashTest.imagesDuringRun(random, 2 + random.nextInt(5),
          2 + random.nextInt(4), 10 + random.nextInt(40), 10 + random.nextInt(40));
      case 3 -> ConcurrentCrashTest.crashAtRandomOperation(random, 2 + random.nextInt(5),
          2 + random.nextInt(4), 10 + random.nextInt(40));
      case 4 -> LinuxFsyncFailureTest.round(random, new long[2]);
      case 5 -> OutOfSpaceTest.round(random, new long[3]);
      case 6 -> RecoveryCrashTest.crashDuringRecovery(random);
      case 7 -> ConcurrentIoErrorTest.round(random);
      case 8 -> CrashSweepTest.sweepTruncatedBehind(random, 2 + random.nextInt(5));
      default -> SilentCorruptionTest.damageOneLog(random);
    }
  }

  private static String elapsed(long started) {
    return Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s";
  }
}
