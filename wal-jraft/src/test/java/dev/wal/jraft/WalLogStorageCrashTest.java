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
import dev.wal.vfs.faulty.CrashOptions.TornFill;
import dev.wal.vfs.faulty.CrashOptions.Unflushed;
import dev.wal.vfs.faulty.CrashPoint;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.testkit.TestSeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A power loss after every storage operation of each call that changes the log: appends (one
 * atomic group, several groups, over held entries, to an empty log at a new index), truncations
 * and resets, on small segments. After each crash the storage opens on the image and holds one of
 * the states the call may leave, listed per call as {@link Shape}s: the log before it, the log
 * after it, and the states between that the engine's operations allow (a cut tail, the empty log
 * of a reset, a prefix of whole groups).
 *
 * <p>The log's background threads (the spare segment, the flusher) interleave their operations
 * with the call's, so a crash index names a point in time rather than one operation of the call;
 * a point a background operation passed before the crash was armed is tried again.
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
  /** How often one point is tried again when a background operation passed it before it was armed. */
  private static final int MAX_RETRIES = 50;

  static Stream<Arguments> calls() {
    Shape before = new Shape(FIRST, LAST, LAST, WalLogStorageCrashTest::old);
    return Stream.of(
        Arguments.of("appendEntries(1201..1220), one atomic group",
            (Call) s -> s.appendEntries(range(1201, 1220, 3)) == 20,
            List.of(before, new Shape(FIRST, 1220, 1220, i -> i <= LAST ? old(i) : data(i, 3)))),
        Arguments.of("appendEntries(1201..1400), several groups",
            (Call) s -> s.appendEntries(range(1201, 1400, 3)) == 200,
            List.of(new Shape(FIRST, LAST, 1400, i -> i <= LAST ? old(i) : data(i, 3)))),
        Arguments.of("appendEntries(1100..1110) over held entries",
            (Call) s -> s.appendEntries(range(1100, 1110, 3)) == 11,
            List.of(new Shape(FIRST, 1099, LAST, WalLogStorageCrashTest::old),
                new Shape(FIRST, 1110, 1110, i -> i < 1100 ? old(i) : data(i, 3)))),
        Arguments.of("appendEntries(5000..5009) to an emptied log",
            (Call) s -> s.truncatePrefix(LAST + 1) && s.appendEntries(range(5000, 5009, 3)) == 10,
            List.of(before, new Shape(LAST + 1, LAST, LAST, WalLogStorageCrashTest::none),
                new Shape(5000, 4999, 4999, WalLogStorageCrashTest::none),
                new Shape(5000, 5009, 5009, i -> data(i, 3)))),
        Arguments.of("truncateSuffix(900)", (Call) s -> s.truncateSuffix(900),
            List.of(new Shape(FIRST, 900, LAST, WalLogStorageCrashTest::old))),
        Arguments.of("truncatePrefix(1000)", (Call) s -> s.truncatePrefix(1000),
            List.of(before, new Shape(1000, LAST, LAST, WalLogStorageCrashTest::old))),
        Arguments.of("truncatePrefix(2000), past the end", (Call) s -> s.truncatePrefix(2000),
            List.of(before, new Shape(2000, 1999, 1999, WalLogStorageCrashTest::none))),
        Arguments.of("reset(800)", (Call) s -> s.reset(800),
            List.of(before, new Shape(800, 799, 799, WalLogStorageCrashTest::none),
                new Shape(800, 800, 800, WalLogStorageCrashTest::old))),
        Arguments.of("reset(3000)", (Call) s -> s.reset(3000),
            List.of(before, new Shape(3000, 2999, 2999, WalLogStorageCrashTest::none),
                new Shape(3000, 3000, 3000, index -> noOp(index)))));
  }

  /** A call under test; it answers whether it succeeded. */
  private interface Call {
    boolean apply(LogStorage storage);
  }

  /**
   * A state a crash during a call may leave: a first index, a range of last indexes, and the entry
   * each index then holds.
   */
  private record Shape(long first, long minLast, long maxLast, LongFunction<LogEntry> entry) {
    boolean matches(long observedFirst, long observedLast, List<LogEntry> entries) {
      if (observedFirst != first || observedLast < minLast || observedLast > maxLast) {
        return false;
      }
      for (int i = 0; i < entries.size(); i++) {
        if (!entry.apply(first + i).equals(entries.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  private static List<LogEntry> range(long from, long to, long term) {
    return TestEntries.dataRange(from, to, term);
  }

  /** {@return the entry the log held at {@code index} before the call} */
  private static LogEntry old(long index) {
    return data(index, index <= 600 ? 1 : 2);
  }

  private static LogEntry noOp(long index) {
    LogEntry noOp = new LogEntry(EntryType.ENTRY_TYPE_NO_OP);
    noOp.setId(new LogId(index, 0));
    return noOp;
  }

  /** For a shape that holds no entry. */
  private static LogEntry none(long index) {
    throw new AssertionError("the shape holds no entry at " + index);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void aCrashAtAnyPointOfACallLeavesAStateTheCallAllows(String name, Call call, List<Shape> allowed) throws Exception {
    long seed = TestSeed.seed();
    try {
      for (int point = 1; point <= MAX_CRASH_POINTS; point++) {
        Crashed crashed = Crashed.RACED;
        for (CrashOptions options : crashes(seed + point)) {
          crashed = Crashed.RACED;
          for (int attempt = 0; attempt < MAX_RETRIES && crashed == Crashed.RACED; attempt++) {
            crashed = crashAndCheck(call, allowed, point, options, seed + point);
          }
          assertThat(crashed).as("crash point %s armed in time", point).isNotEqualTo(Crashed.RACED);
        }
        if (crashed == Crashed.AFTER_THE_CALL) {
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

  /**
   * {@return the crashes made at each point: a power loss as the faulty storage's defaults make
   * it, and one that keeps every unflushed write, torn, so that a batch written but not flushed is
   * cut in its middle}
   */
  private static List<CrashOptions> crashes(long seed) {
    return List.of(
        CrashOptions.powerLoss().seed(seed),
        CrashOptions.powerLoss().seed(seed).unflushed(Unflushed.ALL, 1).torn(1, 0.25, EnumSet.allOf(TornFill.class)));
  }

  /** How a run of the call ended. */
  private enum Crashed {
    DURING_THE_CALL,
    AFTER_THE_CALL,
    /** A background operation passed the point before the crash was armed: not a result. */
    RACED
  }

  /** Crashes {@code point} operations into the call and checks the image. */
  private Crashed crashAndCheck(Call call, List<Shape> allowed, int point, CrashOptions options, long seed) throws Exception {
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
        assertThat(storage.appendEntries(range(index, index + 9, old(index).getId().getTerm()))).isEqualTo(10);
      }
      assertThat(storage.truncatePrefix(FIRST)).isTrue();
      FaultyVfs vfs = opened.get(0);
      Vfs image = Vfs.open("memory:" + run + "-image");
      long armedAt = vfs.operationCount() + point;
      CrashPoint crash = vfs.crashAfter(armedAt, options, image);
      boolean succeeded = call.apply(storage);
      Optional<FaultyVfs> crashed = crash.image();
      if (crashed.isEmpty()) {
        image.close();
        if (vfs.operationCount() >= armedAt) {
          return Crashed.RACED;
        }
        assertThat(succeeded).as("the call without a crash").isTrue();
        return Crashed.AFTER_THE_CALL;
      }
      crashed.get().close();
    } finally {
      storage.shutdown();
    }
    LogStorage reopened = open(new WalJRaftServiceFactory(CONFIG), "memory:" + run + "-image");
    try {
      check(reopened, allowed, options + " after operation " + point);
    } finally {
      reopened.shutdown();
    }
    return Crashed.DURING_THE_CALL;
  }

  private static LogStorage open(WalJRaftServiceFactory factory, String uri) {
    LogStorage storage = factory.createLogStorage(uri, new RaftOptions());
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
    assertThat(storage.init(options)).as("init of %s", uri).isTrue();
    return storage;
  }

  private static void check(LogStorage storage, List<Shape> allowed, String when) {
    long first = storage.getFirstLogIndex();
    long last = storage.getLastLogIndex();
    List<LogEntry> entries = new ArrayList<>();
    for (long index = first; index <= last; index++) {
      entries.add(storage.getEntry(index));
    }
    assertThat(allowed.stream().anyMatch(shape -> shape.matches(first, last, entries)))
        .as("after a %s the log holds %s..%s, not a state the call allows (entries around the end: %s)",
            when, first, last, entries.subList(Math.max(0, entries.size() - 3), entries.size()))
        .isTrue();
  }
}
