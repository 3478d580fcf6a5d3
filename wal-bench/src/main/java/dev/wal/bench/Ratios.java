package dev.wal.bench;

import java.util.ArrayList;
import java.util.List;

/** Sets each result's ratio to the ideal group commit measured in the same cell. */
final class Ratios {
  private Ratios() {}

  /**
   * Returns the results with their ratios set: records per second divided by the ideal group
   * commit's in the same workload, thread count, record size and round (so also the ratio of
   * MB/s).
   * Where the ideal was not run in that cell, the ratio is {@code NaN}.
   *
   * @param results the results of a run
   * @return the same results, in the same order, with ratios
   */
  static List<Result> toIdeal(List<Result> results) {
    List<Result> withRatios = new ArrayList<>(results.size());
    for (Result result : results) {
      double ratio = Double.NaN;
      for (Result ideal : results) {
        if (ideal.contender().equals(IdealGroupCommitContender.NAME)
            && ideal.sameCellAs(result)
            && ideal.recordsPerSecond() > 0) {
          ratio = result.recordsPerSecond() / ideal.recordsPerSecond();
        }
      }
      withRatios.add(result.withRatioToIdeal(ratio));
    }
    return withRatios;
  }
}
