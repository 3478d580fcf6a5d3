package dev.wal.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Makes one row per cell and contender of a run of several rounds ({@code --rounds}): the round
 * in the middle, by its ratio to the ideal group commit of its own round, or by records per second
 * where there is no ratio (the ideal itself). A whole round's row is kept, rather than a median of
 * each column, so that a row's figures were measured together; its note lists the figure of every
 * round.
 *
 * <p>Design note: ratios are compared within a round, where the contenders of a cell ran minutes
 * apart at most; across rounds the disk's speed drifts by 10-20% on a shared machine. With an even
 * number of rounds the lower of the two middle rounds is taken.
 */
final class Rounds {
  private Rounds() {}

  /**
   * Returns one row per cell and contender.
   *
   * @param results the results of every round, with their ratios set
   * @return the middle rounds' results, in the order of the first round; the results themselves
   *     if there was one round
   */
  static List<Result> medians(List<Result> results) {
    if (results.stream().allMatch(r -> r.round() == 1)) {
      return results;
    }
    Map<List<Object>, List<Result>> rows = new LinkedHashMap<>();
    for (Result r : results) {
      rows.computeIfAbsent(
              List.of(r.workload(), r.contender(), r.threads(), r.recordBytes()),
              key -> new ArrayList<>())
          .add(r);
    }
    List<Result> medians = new ArrayList<>(rows.size());
    for (List<Result> rounds : rows.values()) {
      medians.add(middleRound(rounds));
    }
    return medians;
  }

  private static Result middleRound(List<Result> rounds) {
    boolean ratios =
        !rounds.get(0).contender().equals(IdealGroupCommitContender.NAME)
            && rounds.stream().noneMatch(r -> Double.isNaN(r.ratioToIdeal()));
    ToDoubleFunction<Result> figure = ratios ? Result::ratioToIdeal : Result::recordsPerSecond;
    Result middle = middle(rounds, Comparator.comparingDouble(figure));
    String byRound =
        rounds.stream()
            .map(r -> String.format(ratios ? "%.2f" : "%,.0f", figure.applyAsDouble(r)))
            .collect(Collectors.joining(", ", ratios ? "x ideal by round: " : "records/s by round: ", ""));
    return middle.withNote(middle.note().isEmpty() ? byRound : byRound + "; " + middle.note());
  }

  /**
   * Returns the middle of some values, the lower of the two middle ones for an even count.
   *
   * @param values at least one value
   * @return the median
   */
  static double median(List<Double> values) {
    return middle(values, Comparator.naturalOrder());
  }

  /** The middle one of {@code items} in {@code order}; the lower middle for an even count. */
  private static <T> T middle(List<T> items, Comparator<? super T> order) {
    List<T> sorted = items.stream().sorted(order).collect(Collectors.toList());
    return sorted.get((sorted.size() - 1) / 2);
  }
}
