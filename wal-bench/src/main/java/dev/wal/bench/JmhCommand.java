package dev.wal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Runs the JMH microbenchmarks in this jar, passing every argument to JMH: for example {@code jmh
 * -prof gc Append} for bytes allocated per append, or {@code jmh -h} for JMH's own options.
 */
@Command(
    name = "jmh",
    description = {
      "Runs the JMH microbenchmarks of the log's hot paths; every argument goes to JMH.",
      "Examples: jmh -l (list), jmh -prof gc AppendBench, jmh -f 1 -wi 3 -i 5 -h"
    })
final class JmhCommand implements Callable<Integer> {
  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  /** Creates the command; picocli calls it. */
  JmhCommand() {}

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    return 0;
  }
}
