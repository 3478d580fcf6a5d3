package dev.wal.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * The chart of durable appends per second against the number of threads, one line per
 * contender, one panel per record size, side by side in one PNG. The thread counts are evenly
 * spaced categories; the rate axis is logarithmic, since the contenders differ by orders of
 * magnitude (a force per record against a force per batch).
 */
final class ThroughputChart {
  /** The PNG's file name. */
  static final String PNG = "durable-throughput.png";

  private static final int PANEL_WIDTH = 800;
  private static final int PANEL_HEIGHT = 560;

  private ThroughputChart() {}

  /**
   * Draws the chart of the durable results.
   *
   * @param results the results of a run; those of other workloads are ignored
   * @param dir the output directory
   * @return the PNG written
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if there is no durable result to draw
   */
  static Path write(List<Result> results, Path dir) throws IOException {
    TreeSet<Integer> sizes = new TreeSet<>();
    for (Result r : results) {
      if (r.workload() == Workload.DURABLE) {
        sizes.add(r.recordBytes());
      }
    }
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("no durable results to draw");
    }
    List<CategoryChart> panels = new ArrayList<>();
    for (int bytes : sizes) {
      panels.add(panel(results, bytes));
    }
    Path file = dir.resolve(PNG);
    // XChart appends the extension to the name it is given.
    String base = file.toString().substring(0, file.toString().length() - ".png".length());
    BitmapEncoder.saveBitmap(panels, 1, panels.size(), base, BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  private static CategoryChart panel(List<Result> results, int recordBytes) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(PANEL_WIDTH)
            .height(PANEL_HEIGHT)
            .title("Durable appends, " + Report.size(recordBytes) + " records")
            .xAxisTitle("appending threads")
            .yAxisTitle("durable appends per second (log scale)")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setMarkerSize(8);
    Map<String, List<Result>> byContender = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.workload() == Workload.DURABLE && r.recordBytes() == recordBytes) {
        byContender.computeIfAbsent(r.contender(), c -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<Result>> line : byContender.entrySet()) {
      List<Result> points = line.getValue();
      List<String> threads = new ArrayList<>();
      List<Double> perSecond = new ArrayList<>();
      for (Result point : points) {
        threads.add(Integer.toString(point.threads()));
        // A logarithmic axis cannot show zero; a contender that completed nothing shows as 1.
        perSecond.add(Math.max(1, point.recordsPerSecond()));
      }
      chart.addSeries(line.getKey(), threads, perSecond);
    }
    return chart;
  }
}
