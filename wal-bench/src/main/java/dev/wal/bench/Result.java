package dev.wal.bench;

import org.HdrHistogram.Histogram;

/**
 * One benchmark cell's figures: a contender on a workload at one thread count and record size.
 *
 * @param workload the workload
 * @param contender the contender's name
 * @param threads how many threads appended at once (1 for buffered and recovery)
 * @param recordBytes each record's payload size
 * @param records how many records were appended (or read) in the measured time
 * @param elapsedNanos the measured time
 * @param p50Nanos the median latency of one operation
 * @param p99Nanos the 99th percentile latency
 * @param p999Nanos the 99.9th percentile latency
 * @param maxNanos the largest latency
 * @param ratioToIdeal this cell's records per second divided by the ideal group commit's in the
 *     same workload, thread count, record size and round; {@code NaN} where there is none
 * @param note what else was measured, for example the time to reopen; may be empty
 * @param round which round of the run measured it, from 1 ({@code --rounds})
 */
record Result(
    Workload workload,
    String contender,
    int threads,
    int recordBytes,
    long records,
    long elapsedNanos,
    long p50Nanos,
    long p99Nanos,
    long p999Nanos,
    long maxNanos,
    double ratioToIdeal,
    String note,
    int round) {

  /**
   * Builds a result from a latency histogram in nanoseconds.
   *
   * @param workload the workload
   * @param contender the contender's name
   * @param threads the thread count
   * @param recordBytes the payload size
   * @param records the records in the measured time
   * @param elapsedNanos the measured time
   * @param latencies one latency per operation measured (or per sampled operation)
   * @param note the note, or empty
   * @return the result, with no ratio yet
   */
  static Result of(
      Workload workload,
      String contender,
      int threads,
      int recordBytes,
      long records,
      long elapsedNanos,
      Histogram latencies,
      String note) {
    return new Result(
        workload,
        contender,
        threads,
        recordBytes,
        records,
        elapsedNanos,
        latencies.getValueAtPercentile(50),
        latencies.getValueAtPercentile(99),
        latencies.getValueAtPercentile(99.9),
        latencies.getMaxValue(),
        Double.NaN,
        note,
        1);
  }

  /** {@return records per second over the measured time} */
  double recordsPerSecond() {
    return elapsedNanos == 0 ? 0 : records * 1e9 / elapsedNanos;
  }

  /** {@return payload megabytes (10^6 bytes) per second over the measured time} */
  double megabytesPerSecond() {
    return recordsPerSecond() * recordBytes / 1e6;
  }

  /**
   * Returns this result with its ratio to the ideal group commit set.
   *
   * @param ratio the ratio, or {@code NaN}
   * @return the new result
   */
  Result withRatioToIdeal(double ratio) {
    return with(ratio, note, round);
  }

  /**
   * Returns this result as measured in another round.
   *
   * @param round the round, from 1
   * @return the new result
   */
  Result withRound(int round) {
    return with(ratioToIdeal, note, round);
  }

  /**
   * Returns this result with another note.
   *
   * @param note the note, or empty
   * @return the new result
   */
  Result withNote(String note) {
    return with(ratioToIdeal, note, round);
  }

  private Result with(double ratio, String newNote, int newRound) {
    return new Result(
        workload,
        contender,
        threads,
        recordBytes,
        records,
        elapsedNanos,
        p50Nanos,
        p99Nanos,
        p999Nanos,
        maxNanos,
        ratio,
        newNote,
        newRound);
  }

  /**
   * Tells whether another result measured the same cell, in the same round, for another
   * contender.
   *
   * @param other the other result
   * @return whether workload, thread count, record size and round match
   */
  boolean sameCellAs(Result other) {
    return workload == other.workload
        && threads == other.threads
        && recordBytes == other.recordBytes
        && round == other.round;
  }
}
