package dev.wal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Ratios, sizes and the result files' format. */
class ResultsTest {
  @TempDir Path dir;

  private static Result result(Workload workload, String contender, int threads, long records) {
    return new Result(workload, contender, threads, 128, records, 1_000_000_000L, 1, 2, 3, 4, Double.NaN, "", 1);
  }

  @Test
  void ratioIsRecordsPerSecondOverTheIdealsInTheSameCell() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                result(Workload.DURABLE, IdealGroupCommitContender.NAME, 4, 1000),
                result(Workload.DURABLE, "rocksdb-sync", 4, 250),
                result(Workload.DURABLE, IdealGroupCommitContender.NAME, 16, 4000),
                result(Workload.DURABLE, "rocksdb-sync", 16, 2000)));

    assertThat(results).extracting(Result::ratioToIdeal).containsExactly(1.0, 0.25, 1.0, 0.5);
  }

  @Test
  void steadyRowIsComparedWithTheIdealsSteadyRowNotItsDurableOne() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                result(Workload.DURABLE, IdealGroupCommitContender.NAME, 64, 1000),
                result(Workload.STEADY, IdealGroupCommitContender.NAME, 64, 800),
                result(Workload.STEADY, Targets.LOG, 64, 400)));

    assertThat(results.get(2).ratioToIdeal()).isEqualTo(0.5);
  }

  @Test
  void ratioIsNotANumberWhereTheIdealDidNotRun() {
    List<Result> results =
        Ratios.toIdeal(
            List.of(
                result(Workload.DURABLE, IdealGroupCommitContender.NAME, 4, 1000),
                result(Workload.BUFFERED, "rocksdb-sync", 1, 250)));

    assertThat(results.get(1).ratioToIdeal()).isNaN();
  }

  @Test
  void csvQuotesNotesLeavesMissingRatiosEmptyAndUsesDotsInAnyLocale() throws IOException {
    Locale previous = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Result quoted =
          new Result(Workload.RECOVERY, "x", 1, 4096, 3, 2_000_000_000L, 1500, 2, 3, 4, Double.NaN, "say \"hi\", twice", 1);
      ResultFiles.writeCsv(List.of(quoted), dir);
    } finally {
      Locale.setDefault(previous);
    }
    List<String> lines = Files.readAllLines(dir.resolve(ResultFiles.CSV));

    assertThat(lines.get(1))
        .isEqualTo("\"recovery\",\"x\",1,4096,3,2000000000,1.500,0.006,1.500,0.002,0.003,0.004,,\"say \"\"hi\"\", twice\",1");
  }

  @Test
  void jsonEscapesTextAndWritesMissingRatiosAsNull() throws IOException {
    Result result = result(Workload.DURABLE, "a\"b\\c", 1, 10);

    ResultFiles.writeJson(List.of(result), List.of(), Map.of("note", "line\nbreak"), dir);

    String json = Files.readString(dir.resolve(ResultFiles.JSON));
    assertThat(json)
        .contains("\"note\": \"line\\nbreak\"")
        .contains("\"contender\": \"a\\\"b\\\\c\"")
        .contains("\"ratio_to_ideal\": null");
  }

  @Test
  void sizesPrintInTheLargestExactBinaryUnit() {
    assertThat(Report.size(128)).isEqualTo("128 B");
    assertThat(Report.size(4096)).isEqualTo("4 KiB");
    assertThat(Report.size(1L << 30)).isEqualTo("1 GiB");
    assertThat(Report.size(1500)).isEqualTo("1500 B");
  }

  @Test
  void byteSizesAcceptBinarySuffixesInAnyCase() {
    assertThat(ByteSizeConverter.parse("4096")).isEqualTo(4096);
    assertThat(ByteSizeConverter.parse("4k")).isEqualTo(4096);
    assertThat(ByteSizeConverter.parse("64M")).isEqualTo(64L << 20);
    assertThat(ByteSizeConverter.parse("1g")).isEqualTo(1L << 30);
  }

  @Test
  void byteSizeThatIsNotANumberIsRefusedQuotingIt() {
    assertThatThrownBy(() -> ByteSizeConverter.parse("k"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'k' is not a size");
    assertThatThrownBy(() -> ByteSizeConverter.parse("-4"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'-4' is not a size");
  }
}
