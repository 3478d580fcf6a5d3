package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsProvider;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code faulty} provider: {@code faulty:<inner spec>?seed=42&...}, the inner spec in
 * parentheses when it has options of its own ({@code faulty:(memory:x?maxSize=1m)?seed=42}).
 *
 * <p>Options (all optional):
 *
 * <ul>
 *   <li>{@code seed}: a long; every random choice derives from it (default 0).
 *   <li>{@code sectorSize}: the tear unit, a power of two (default: the inner storage's).
 *   <li>{@code flushFailure}: {@code retry}, {@code linux} (default) or {@code failstop}; see
 *       {@link FlushFailureMode}.
 *   <li>{@code quota}: a size such as {@code 64k}; writes beyond it throw {@link
 *       InjectedOutOfSpaceException}. {@code partialWrites}: {@code true} (default) or {@code
 *       false}.
 *   <li>{@code failOn}: comma-separated {@code kind:n}, failing the n-th call of that {@link
 *       OpKind} once, for example {@code failOn=write:3,sync_directory:1}.
 *   <li>{@code errorRate}: a probability of failing any operation.
 *   <li>{@code bitFlipOnRead}, {@code latentSectorErrors}, {@code misdirectedWrites}:
 *       probabilities of the silent faults; {@code latentSectorReads}: {@code throw} (default) or
 *       {@code garbage}.
 *   <li>{@code traceCapacity}: how many trace events are kept (default 10000).
 * </ul>
 *
 * <p>Instances are stateless and safe for use by many threads.
 */
public final class FaultyVfsProvider implements VfsProvider {
  private static final Set<String> OPTIONS = Set.of("seed", "sectorSize", "flushFailure",
      "quota", "partialWrites", "failOn", "errorRate", "bitFlipOnRead", "latentSectorErrors",
      "latentSectorReads", "misdirectedWrites", "traceCapacity");

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public FaultyVfsProvider() {}

  @Override
  public String name() {
    return "faulty";
  }

  @Override
  public Set<String> supportedOptions() {
    return OPTIONS;
  }

  @Override
  public Vfs open(VfsSpec spec) throws IOException {
    return FaultyVfs.open(spec.location(), config(spec));
  }

  static FaultConfig config(VfsSpec spec) {
    FaultConfig.Builder b = FaultConfig.builder().seed(spec.longOption("seed", 0));
    long sector = spec.longOption("sectorSize", 0);
    if (sector < 0 || sector > (1 << 30) || (sector > 0 && Long.bitCount(sector) != 1)) {
      throw spec.badValue("sectorSize", Long.toString(sector), "is not a power of two");
    }
    b.sectorSize((int) sector);
    spec.option("flushFailure").ifPresent(v -> b.flushFailureMode(switch (v.toLowerCase(Locale.ROOT)) {
      case "retry" -> FlushFailureMode.RETRY_SUCCEEDS;
      case "linux" -> FlushFailureMode.LINUX;
      case "failstop" -> FlushFailureMode.FAIL_STOP;
      default -> throw spec.badValue("flushFailure", v, "is not retry, linux or failstop");
    }));
    boolean partialWrites = spec.booleanOption("partialWrites", true); // checked even unused
    if (spec.option("quota").isPresent()) {
      b.quota(spec.sizeOption("quota", 0), partialWrites);
    }
    spec.option("failOn").ifPresent(v -> addFailOn(b, spec, v));
    double errorRate = probability(spec, "errorRate");
    if (errorRate > 0) {
      EnumSet<OpKind> all = EnumSet.complementOf(EnumSet.of(OpKind.MARK));
      OpKind first = all.iterator().next();
      all.remove(first);
      b.rule(FaultRule.failOn(first, all.toArray(new OpKind[0])).withProbability(errorRate));
    }
    b.bitFlipOnRead(probability(spec, "bitFlipOnRead"));
    String reads = spec.option("latentSectorReads").orElse("throw");
    if (!reads.equals("throw") && !reads.equals("garbage")) {
      throw spec.badValue("latentSectorReads", reads, "is not throw or garbage");
    }
    b.latentSectorErrors(probability(spec, "latentSectorErrors"), reads.equals("throw"));
    b.misdirectedWrites(probability(spec, "misdirectedWrites"));
    long trace = spec.longOption("traceCapacity", 10_000);
    if (trace < 1 || trace > Integer.MAX_VALUE) {
      throw spec.badValue("traceCapacity", Long.toString(trace), "must be in [1, 2^31)");
    }
    return b.traceCapacity((int) trace).build();
  }

  private static void addFailOn(FaultConfig.Builder b, VfsSpec spec, String value) {
    for (String item : value.split(",", -1)) {
      int colon = item.indexOf(':');
      try {
        OpKind kind = OpKind.valueOf(item.substring(0, colon).toUpperCase(Locale.ROOT));
        b.rule(FaultRule.failOn(kind).onCall(Long.parseLong(item.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw spec.badValue("failOn", value, "has '" + item
            + "', not kind:n (kinds: open, read, write, flush, truncate, size, rename, delete,"
            + " list, exists, sync_directory, lock; n at least 1)");
      }
    }
  }

  private static double probability(VfsSpec spec, String key) {
    String value = spec.option(key).orElse("0");
    try {
      double p = Double.parseDouble(value);
      if (p >= 0 && p <= 1) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw spec.badValue(key, value, "is not a probability in [0, 1]");
  }
}
