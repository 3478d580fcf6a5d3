package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
  private static Result durable(String contender, int round, long recordsPerSecond, String note) {
    return new Result(
        Workload.DURABLE, contender, 16, 128, recordsPerSecond, 1_000_000_000L, round, 2, 3, 4,
        Double.NaN, note, round);
  }

  @Test
  void oneRoundIsReportedAsItIs() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                durable(IdealGroupCommitContender.NAME, 1, 100, ""),
                durable(Targets.LOG, 1, 90, "n")));

    assertThat(Rounds.medians(results)).isEqualTo(results);
  }

  @Test
  void eachRowIsTheMiddleRoundByRatioOrByRecordsPerSecondForTheIdealKeepingItsOwnFigures() {
    List<Result> results = new ArrayList<>();
    long[][] idealAndLog = {{100, 95}, {80, 84}, {120, 90}};
    for (int round = 1; round <= 3; round++) {
      results.add(durable(IdealGroupCommitContender.NAME, round, idealAndLog[round - 1][0], ""));
      results.add(durable(Targets.LOG, round, idealAndLog[round - 1][1], "truncations: " + round));
    }

    List<Result> medians = Rounds.medians(Ratios.toIdeal(results));

    assertThat(medians).hasSize(2);
    Result ideal = medians.get(0);
    assertThat(ideal.contender()).isEqualTo(IdealGroupCommitContender.NAME);
    assertThat(ideal.round()).as("100 is the middle of 80, 100 and 120").isEqualTo(1);
    assertThat(ideal.note()).isEqualTo("records/s by round: 100, 80, 120");
    Result log = medians.get(1);
    assertThat(log.round()).as("0.95 is the middle of 0.95, 1.05 and 0.75").isEqualTo(1);
    assertThat(log.recordsPerSecond()).isEqualTo(95);
    assertThat(log.p50Nanos()).as("the round's own percentiles").isEqualTo(1);
    assertThat(log.note()).isEqualTo("x ideal by round: 0.95, 1.05, 0.75; truncations: 1");
  }

  @Test
  void anEvenNumberOfRoundsTakesTheLowerMiddle() {
    assertThat(Rounds.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.0);
    assertThat(Rounds.median(List.of(7.0))).isEqualTo(7.0);
  }
}
