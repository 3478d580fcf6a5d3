package dev.wal.jraft;

import static dev.wal.jraft.TestEntries.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.testkit.TestSeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A power loss after every storage operation of each call that changes the log: appends,
 * truncations and resets, on small segments. After each crash the storage opens on the image and
 * holds one of the states the call may leave: the log before it, the log after it, or (for the
 * calls that cut) a state between whose entries are all ones the log held or the call wrote.
 *
 * <p>The log's background threads (the spare segment, the flusher) interleave their operations
 * with the call's, so a crash index names a point in time rather than one operation of the call.
 */
final class WalLogStorageCrashTest {
  private static final WalConfig CONFIG = WalConfig.builder()
      .segmentBytes(16 << 10).bufferBytes(4 << 10).maxRecordBytes(1 << 10)
      .flushInterval(Duration.ofMinutes(1)).build();
  /** The log before each call: entries 200..1200 over a dozen segments, term 1 up to 600 and 2 after. */
  private static final long FIRST = 200;
  private static final long LAST = 1200;
  /** More operations than any call here makes, so the sweep ends with an uncrashed run. */
  private static final int MAX_CRASH_POINTS = 1_000;

  static Stream<Arguments> calls() {
    return Stream.of(
        Arguments.of("appendEntries(1201..1220)", (Call) s -> s.appendEntries(range(1201, 1220, 3)) == 20,
            new Outcome(List.of(FIRST), LAST, 1220, 0)),
        Arguments.of("truncateSuffix(900)", (Call) s -> s.truncateSuffix(900),
            new Outcome(List.of(FIRST), 900, LAST, 0)),
        Arguments.of("truncatePrefix(1000)", (Call) s -> s.truncatePrefix(1000),
            new Outcome(List.of(FIRST, 1000L), LAST, LAST, 0)),
        Arguments.of("truncatePrefix(2000)", (Call) s -> s.truncatePrefix(2000),
            new Outcome(List.of(FIRST, 2000L), FIRST - 1, LAST, 0)),
        Arguments.of("reset(800)", (Call) s -> s.reset(800),
            new Outcome(List.of(FIRST, 800L), FIRST - 1, LAST, 800)),
        Arguments.of("reset(3000)", (Call) s -> s.reset(3000),
            new Outcome(List.of(FIRST, 3000L), FIRST - 1, LAST, 3000)));
  }

  /** A call under test; it answers whether it succeeded. */
  private interface Call {
    boolean apply(LogStorage storage);
  }

  /**
   * What a crash during a call may leave.
   *
   * @param firstIndexes the first indexes allowed
   * @param minLast the lowest last index allowed while the first index is the old one
   * @param maxLast the highest last index allowed
   * @param resetIndex the index a reset keeps an entry at, or 0 for other calls
   */
  private record Outcome(List<Long> firstIndexes, long minLast, long maxLast, long resetIndex) {}

  private static List<LogEntry> range(long from, long to, long term) {
    return TestEntries.dataRange(from, to, term);
  }

  private static long oldTerm(long index) {
    return index <= 600 ? 1 : 2;
  }

  /** The one entry each index may hold after the call: the old one, the call's, or the kept one. */
  private static LogEntry candidate(long index, Outcome outcome, long firstIndex) {
    if (outcome.resetIndex() > 0 && firstIndex == outcome.resetIndex()) {
      if (index == outcome.resetIndex() && index <= LAST) {
        return data(index, oldTerm(index));
      }
      LogEntry noOp = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
      noOp.setId(new LogId(index, 0));
      return noOp;
    }
    return index <= LAST ? data(index, oldTerm(index)) : data(index, 3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void aCrashAtAnyPointOfACallLeavesAStateTheCallAllows(String name, Call call, Outcome outcome) throws Exception {
    long seed = TestSeed.seed();
    try {
      for (int point = 1; point <= MAX_CRASH_POINTS; point++) {
        if (!crashAndCheck(call, outcome, point, seed + point)) {
          // The call finished before this point: every earlier point of it was crashed.
          assertThat(point - 1).as("crash points inside %s", name).isGreaterThanOrEqualTo(2);
          return;
        }
      }
      throw new AssertionError(name + " made more than " + MAX_CRASH_POINTS + " operations");
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, getClass(), seed);
    }
  }

  /** Crashes {@code point} operations into the call; returns false if the call ended first. */
  private boolean crashAndCheck(Call call, Outcome outcome, int point, long seed) throws Exception {
    String run = "jraft-crash-" + UUID.randomUUID();
    List<FaultyVfs> opened = new ArrayList<>();
    WalJRaftServiceFactory factory = new WalJRaftServiceFactory(CONFIG, uri -> {
      FaultyVfs vfs = FaultyVfs.wrap(Vfs.open(uri), FaultConfig.builder().seed(seed).build());
      opened.add(vfs);
      return vfs;
    });
    LogStorage storage = open(factory, "memory:" + run);
    try {
      for (long index = 1; index <= LAST; index += 10) {
        assertThat(storage.appendEntries(range(index, index + 9, oldTerm(index)))).isEqualTo(10);
      }
      assertThat(storage.truncatePrefix(FIRST)).isTrue();
      FaultyVfs vfs = opened.get(0);
      Vfs image = Vfs.open("memory:" + run + "-image");
      CrashPoint crash = vfs.crashAfter(vfs.operationCount() + point, CrashOptions.powerLoss().seed(seed), image);
      boolean succeeded = call.apply(storage);
      Optional<FaultyVfs> crashed = crash.image();
      if (crashed.isEmpty()) {
        assertThat(succeeded).as("the call without a crash").isTrue();
        image.close();
        return false;
      }
      crashed.get().close();
    } finally {
      storage.shutdown();
    }
    LogStorage reopened = open(new WalJRaftServiceFactory(CONFIG), "memory:" + run + "-image");
    try {
      check(reopened, outcome, "crash after operation " + point);
    } finally {
      reopened.shutdown();
    }
    return true;
  }

  private static LogStorage open(WalJRaftServiceFactory factory, String uri) {
    LogStorage storage = factory.createLogStorage(uri, new RaftOptions());
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
    assertThat(storage.init(options)).as("init of %s", uri).isTrue();
    return storage;
  }

  private static void check(LogStorage storage, Outcome outcome, String when) {
    long first = storage.getFirstLogIndex();
    long last = storage.getLastLogIndex();
    assertThat(outcome.firstIndexes()).as("first index %s", when).contains(first);
    if (first == FIRST) {
      assertThat(last).as("last index %s", when).isBetween(outcome.minLast(), outcome.maxLast());
    } else {
      assertThat(last).as("last index %s", when).isBetween(first - 1, Math.max(first, outcome.maxLast()));
    }
    LongFunction<LogEntry> expected = index -> candidate(index, outcome, first);
    for (long index = first; index <= last; index++) {
      assertThat(storage.getEntry(index)).as("entry %s %s", index, when).isEqualTo(expected.apply(index));
    }
  }
}
