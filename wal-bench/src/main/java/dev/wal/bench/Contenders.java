package dev.wal.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contenders a run can measure, by name, in the order they are shown. */
final class Contenders {
  private Contenders() {}

  /**
   * Returns every contender, keyed by name, in display order.
   *
   * @param preallocatedBytes the size of the disk contenders' preallocated files
   * @return the contenders
   */
  static Map<String, Contender> all(long preallocatedBytes) {
    Map<String, Contender> byName = new LinkedHashMap<>();
    for (Contender contender :
        List.of(
            ForceEachContender.growing(),
            ForceEachContender.preallocated(preallocatedBytes),
            new IdealGroupCommitContender(preallocatedBytes),
            new RocksDbContender(),
            LogContender.local(),
            LogContender.memory())) {
      byName.put(contender.name(), contender);
    }
    return byName;
  }

  /** {@return the names of every contender, in display order} */
  static List<String> names() {
    return List.copyOf(all(1).keySet());
  }

  /**
   * Returns the named contenders.
   *
   * @param names contender names
   * @param preallocatedBytes the size of the disk contenders' preallocated files
   * @return the contenders, in the order named
   * @throws IllegalArgumentException if a name is unknown; the message lists the known ones
   */
  static List<Contender> select(List<String> names, long preallocatedBytes) {
    Map<String, Contender> all = all(preallocatedBytes);
    List<Contender> selected = new ArrayList<>();
    for (String name : names) {
      Contender contender = all.get(name);
      if (contender == null) {
        throw new IllegalArgumentException(
            "unknown contender '" + name + "'; expected some of " + String.join(", ", all.keySet()));
      }
      selected.add(contender);
    }
    return selected;
  }
}
