package dev.wal.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as files for programs: {@code results.csv}, one row per cell and round, and {@code
 * results.json}, which adds the machine, the configuration and the contenders' descriptions.
 * Numbers use a dot for decimals whatever the locale; a ratio with no ideal to compare with is
 * empty in the CSV and {@code null} in the JSON.
 */
final class ResultFiles {
  /** The CSV file's name. */
  static final String CSV = "results.csv";

  /** The JSON file's name. */
  static final String JSON = "results.json";

  private static final String[] COLUMNS = {
    "workload", "contender", "threads", "record_bytes", "records", "elapsed_ns", "records_per_s",
    "mb_per_s", "p50_us", "p99_us", "p999_us", "max_us", "ratio_to_ideal", "note", "round"
  };

  private ResultFiles() {}

  /**
   * Writes {@value #CSV}.
   *
   * @param results the results
   * @param dir the output directory
   * @return the file written
   * @throws IOException if writing fails
   */
  static Path writeCsv(List<Result> results, Path dir) throws IOException {
    Path file = dir.resolve(CSV);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", COLUMNS) + "\n");
      for (Result r : results) {
        List<String> cells = new ArrayList<>();
        for (Object value : values(r)) {
          cells.add(csvCell(value));
        }
        out.write(String.join(",", cells) + "\n");
      }
    }
    return file;
  }

  /**
   * Writes {@value #JSON}.
   *
   * @param results the results
   * @param contenders the contenders that ran
   * @param environment facts about the machine and the run, written as strings
   * @param dir the output directory
   * @return the file written
   * @throws IOException if writing fails
   */
  static Path writeJson(
      List<Result> results, List<Contender> contenders, Map<String, String> environment, Path dir)
      throws IOException {
    StringBuilder json = new StringBuilder("{\n  \"environment\": {");
    String separator = "\n";
    for (Map.Entry<String, String> fact : environment.entrySet()) {
      json.append(separator).append("    ").append(jsonValue(fact.getKey())).append(": ");
      json.append(jsonValue(fact.getValue()));
      separator = ",\n";
    }
    json.append("\n  },\n  \"contenders\": [");
    separator = "\n";
    for (Contender contender : contenders) {
      json.append(separator).append("    {\"name\": ").append(jsonValue(contender.name()));
      json.append(", \"description\": ").append(jsonValue(contender.description())).append('}');
      separator = ",\n";
    }
    json.append("\n  ],\n  \"results\": [");
    separator = "\n";
    for (Result r : results) {
      json.append(separator).append("    {");
      Object[] values = values(r);
      for (int i = 0; i < COLUMNS.length; i++) {
        json.append(i == 0 ? "" : ", ").append('"').append(COLUMNS[i]).append("\": ");
        json.append(jsonValue(values[i]));
      }
      json.append('}');
      separator = ",\n";
    }
    json.append("\n  ]\n}\n");
    Path file = dir.resolve(JSON);
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  private static Object[] values(Result r) {
    return new Object[] {
      r.workload().label(),
      r.contender(),
      r.threads(),
      r.recordBytes(),
      r.records(),
      r.elapsedNanos(),
      r.recordsPerSecond(),
      r.megabytesPerSecond(),
      r.p50Nanos() / 1e3,
      r.p99Nanos() / 1e3,
      r.p999Nanos() / 1e3,
      r.maxNanos() / 1e3,
      r.ratioToIdeal(),
      r.note(),
      r.round()
    };
  }

  private static String number(Object value) {
    if (value instanceof Double d) {
      return Double.isNaN(d) ? null : String.format(Locale.ROOT, "%.3f", d);
    }
    return value.toString();
  }

  private static String csvCell(Object value) {
    if (value instanceof String text) {
      return text.isEmpty() ? "" : '"' + text.replace("\"", "\"\"") + '"';
    }
    String number = number(value);
    return number == null ? "" : number;
  }

  private static String jsonValue(Object value) {
    if (!(value instanceof String text)) {
      String number = number(value);
      return number == null ? "null" : number;
    }
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
