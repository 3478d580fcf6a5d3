package dev.wal.vfs.faulty;

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
  private final List<FaultRule> rules;
  private final long[] matchedCalls;
  private final boolean[] fired;
  private final List<Map<String, Long>> callsPerFile;

  FaultInjector(long seed, List<FaultRule> rules) {
    this.seed = seed;
    this.rules = rules;
    this.matchedCalls = new long[rules.size()];
    this.fired = new boolean[rules.size()];
    this.callsPerFile = new java.util.ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      callsPerFile.add(new HashMap<>());
    }
  }

  /** Counts this call against every matching rule and returns the first that fires, or null. */
  FaultRule check(OpKind kind, String file) {
    FaultRule firing = null;
    for (int i = 0; i < rules.size(); i++) {
      FaultRule rule = rules.get(i);
      if (!rule.matches(kind, file)) {
        continue;
      }
      long call = ++matchedCalls[i];
      long fileCall = callsPerFile.get(i).merge(file == null ? "" : file, 1L, Long::sum);
      boolean fires = fires(i, rule, call, file, fileCall);
      if (fires && firing == null) {
        firing = rule;
        fired[i] = true;
      }
    }
    return firing;
  }

  private boolean fires(int index, FaultRule rule, long call, String file, long fileCall) {
    if (fired[index]) {
      return rule.isPersistent();
    }
    if (rule.nthCall() > 0) {
      return call == rule.nthCall();
    }
    return Randoms.keyed(seed, RULE_PURPOSE + index, file, fileCall).nextDouble()
        < rule.probability();
  }
}
