package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
  private static Result durable(String contender, int threads, long recordsPerSecond) {
    return new Result(Workload.DURABLE, contender, threads, 128, recordsPerSecond, 1_000_000_000L, 1, 2, 3, 4, Double.NaN, "", 1);
  }

  @Test
  void groupCommitTargetsCompareTheLogWithTheIdealAndRocksDbInTheSameCell() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                durable(IdealGroupCommitContender.NAME, 16, 100_000),
                durable("rocksdb-sync", 16, 60_000),
                durable(Targets.LOG, 16, 110_000)));

    List<Targets.Check> checks = Targets.check(results);

    assertThat(checks)
        .extracting(Targets.Check::target, Targets.Check::figure, Targets.Check::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("durable 128 B x 16 threads: >= 1.0 x ideal group commit", "1.10", true),
            org.assertj.core.groups.Tuple.tuple("durable 128 B x 16 threads: >= 2 x RocksDB", "1.83", false));
  }

  private static Result large(Workload workload, String contender, long recordsPerSecond) {
    return new Result(workload, contender, 64, 4096, recordsPerSecond, 1_000_000_000L, 1, 2, 3, 4, Double.NaN, "", 1);
  }

  @Test
  void largeRecordTargetShowsTheSteadyStateBesideThePlainFigureButIsMetOnlyByThePlainOne() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                large(Workload.DURABLE, IdealGroupCommitContender.NAME, 10_000),
                large(Workload.DURABLE, Targets.LOG, 7_800),
                large(Workload.STEADY, IdealGroupCommitContender.NAME, 10_000),
                large(Workload.STEADY, Targets.LOG, 9_500)));

    assertThat(Targets.check(results))
        .extracting(Targets.Check::target, Targets.Check::figure, Targets.Check::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "durable 4 KiB x 64 threads: >= 0.9 x ideal group commit MB/s",
                "0.78; steady state (truncated behind): 0.95",
                false));
  }

  @Test
  void withRoundsEachFigureIsTakenWithinItsRoundAndTheMedianDecides() {
    List<Result> results = new ArrayList<>();
    long[][] idealAndLog = {{100_000, 95_000}, {80_000, 84_000}, {120_000, 121_200}};
    for (int round = 1; round <= idealAndLog.length; round++) {
      results.add(durable(IdealGroupCommitContender.NAME, 64, idealAndLog[round - 1][0]).withRound(round));
      results.add(durable(Targets.LOG, 64, idealAndLog[round - 1][1]).withRound(round));
    }

    assertThat(Targets.check(Ratios.toIdeal(results)))
        .extracting(Targets.Check::figure, Targets.Check::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.01 (median; by round: 0.95, 1.05, 1.01)", true));
  }

  @Test
  void withRoundsAFigureWithAUnitNamesItOnce() {
    List<Result> results = new ArrayList<>();
    long[] recordsPerSecond = {7_000_000, 5_000_000, 9_000_000};
    for (int round = 1; round <= recordsPerSecond.length; round++) {
      results.add(
          new Result(Workload.BUFFERED, Targets.LOG, 1, 128, recordsPerSecond[round - 1], 1_000_000_000L, 1, 2, 3, 4, Double.NaN, "", round));
    }

    assertThat(Targets.check(results))
        .extracting(Targets.Check::figure, Targets.Check::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "7,000,000 records/s (median; by round: 7,000,000, 5,000,000, 9,000,000)", true));
  }

  @Test
  void steadyStateAloneChecksNoTarget() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                large(Workload.STEADY, IdealGroupCommitContender.NAME, 10_000),
                large(Workload.STEADY, Targets.LOG, 9_500)));

    assertThat(Targets.check(results)).isEmpty();
  }

  @Test
  void targetsWhoseCellsDidNotRunAreLeftOut() {
    assertThat(Targets.check(List.of(durable("rocksdb-sync", 64, 1000)))).isEmpty();
  }
}
