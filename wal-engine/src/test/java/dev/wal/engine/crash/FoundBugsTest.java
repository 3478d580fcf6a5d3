package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.InjectedFault;
import dev.wal.vfs.faulty.OpKind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the crash suite found in the engine, each reduced to a small deterministic test. */
class FoundBugsTest {
  private static final WalConfig CONFIG = WalConfig.builder()
      .segmentBytes(64 << 10)
      .bufferBytes(4096)
      .maxRecordBytes(8192)
      .flushInterval(Duration.ofMinutes(1))
      .build();

  /**
   * Found by {@link IoErrorSweepTest}: the background preparation of the next segment failed,
   * no rotation took the spare before the log closed, and close() dropped the error.
   */
  @Test
  void aFailedSparePreparationThatNoRotationNeededReachesTheCallerAtClose() throws IOException {
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder()
        .rule(FaultRule.failOn(OpKind.OPEN).files("spare.wal.tmp").onCall(2)));
    try {
      WriteAheadLog log = WriteAheadLog.open(vfs, CONFIG); // takes the 1st spare, prepares the 2nd
      DurabilityOracle oracle = new DurabilityOracle();
      log.append(oracle.next(40).payload(), 1);
      assertThatThrownBy(log::close).isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(InjectedFault.isInjected(e)).isTrue());
    } finally {
      CrashHarness.release(vfs);
    }
  }

  private static void append(WriteAheadLog log, DurabilityOracle oracle, boolean durable)
      throws IOException {
    DurabilityOracle.Append append = oracle.next(100);
    long lsn = durable
        ? log.append(append.payload(), append.tag())
        : log.appendNoWait(append.payload(), append.tag());
    oracle.appended(append, lsn);
    if (durable) {
      oracle.durableThrough(lsn);
    }
  }
}
