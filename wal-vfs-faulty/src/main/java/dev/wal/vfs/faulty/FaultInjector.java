package dev.wal.vfs.faulty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which error rule, if any, strikes an operation. Not thread-safe; the owning {@link
 * FaultyVfs} serialises calls.
 */
final class FaultInjector {
  private static final long RULE_PURPOSE = 0x52554C45L;

  private final long seed;
  private final List<FaultRule> rules = new ArrayList<>();
  private final List<long[]> matchedCalls = new ArrayList<>();
  private final List<boolean[]> fired = new ArrayList<>();
  private final List<Map<String, Long>> callsPerFile = new ArrayList<>();

  FaultInjector(long seed, List<FaultRule> rules) {
    this.seed = seed;
    rules.forEach(this::add);
  }

  /** Adds a rule; it counts calls from now on. */
  void add(FaultRule rule) {
    rules.add(rule);
    matchedCalls.add(new long[1]);
    fired.add(new boolean[1]);
    callsPerFile.add(new HashMap<>());
  }

  /** Counts this call against every matching rule and returns the first that fires, or null. */
  FaultRule check(OpKind kind, String file) {
    FaultRule firing = null;
    for (int i = 0; i < rules.size(); i++) {
      FaultRule rule = rules.get(i);
      if (!rule.matches(kind, file)) {
        continue;
      }
      long call = ++matchedCalls.get(i)[0];
      long fileCall = callsPerFile.get(i).merge(file == null ? "" : file, 1L, Long::sum);
      boolean fires = fires(i, rule, call, file, fileCall);
      if (fires && firing == null) {
        firing = rule;
        fired.get(i)[0] = true;
      }
    }
    return firing;
  }

  private boolean fires(int index, FaultRule rule, long call, String file, long fileCall) {
    if (fired.get(index)[0]) {
      return rule.isPersistent();
    }
    if (rule.nthCall() > 0) {
      return call == rule.nthCall();
    }
    return Randoms.keyed(seed, RULE_PURPOSE + index, file, fileCall).nextDouble()
        < rule.probability();
  }
}
