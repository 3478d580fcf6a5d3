package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.LogFailedException;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.FlushFailureMode;
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
      WriteAheadLog log = WriteAheadLog.open(vfs, CONFIG); // takes the 1st spare
      DurabilityOracle oracle = new DurabilityOracle();
      // The 2nd is prepared once the first segment is half full (~40 KiB of 64 KiB here).
      for (int i = 0; i < 550; i++) {
        log.appendNoWait(oracle.next(40).payload(), 1);
      }
      log.append(oracle.next(40).payload(), 1);
      assertThatThrownBy(log::close).isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(InjectedFault.isInjected(e)).isTrue());
    } finally {
      CrashHarness.release(vfs);
    }
  }

  /**
   * Found by {@link IoErrorSweepTest} (Linux's fsync-failure model): a flush failed and Linux
   * dropped the dirty pages' durability but kept them readable; the reopened log read the
   * records that flush covered, reported them durable and wrote after them; a power loss then
   * took those records away and left a hole before acknowledged records, so the log could not
   * be opened at all (CorruptLogException) and the records acknowledged after the reopen were
   * lost.
   */
  @Test
  void recordsAcknowledgedAfterReopeningFromAFailedFlushSurviveAPowerLoss() throws Exception {
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder()
        .flushFailureMode(FlushFailureMode.LINUX)
        .rule(FaultRule.failOn(OpKind.FLUSH).files("0*.wal").onCall(2)));
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      WriteAheadLog log = LogDriver.openChecked(vfs, CONFIG, oracle, "opening");
      append(log, oracle, true);
      append(log, oracle, false);
      append(log, oracle, false);
      assertThatThrownBy(log::flush).isInstanceOf(LogFailedException.class);
      assertThatThrownBy(log::close).isInstanceOf(LogFailedException.class);
      try (WriteAheadLog reopened = LogDriver.openChecked(vfs, CONFIG, oracle, "reopening")) {
        assertThat(reopened.flushedLsn()).isEqualTo(3); // it reports them durable: they must be
        append(reopened, oracle, true);
      }
      DurabilityOracle.Promise promise = oracle.promise();
      assertThat(promise.durableLsn()).isEqualTo(4);
      CrashOptions onlyFlushed = CrashOptions.powerLoss().unflushed(CrashOptions.Unflushed.NONE, 0);
      FaultyVfs image = vfs.crash(onlyFlushed, CrashHarness.target());
      CrashHarness.checkImage(image, CONFIG, oracle, promise, "power loss after the reopen");
    } finally {
      CrashHarness.release(vfs);
    }
  }

  /**
   * Found while writing {@link SilentCorruptionTest}: one read of the newest segment during
   * recovery returned a flipped bit in the last record (a transient fault: the stored bytes were
   * intact, and the next read was right). No later record vouched for it, so recovery took it
   * for a torn tail and cut it for good, overwriting an intact, acknowledged record.
   */
  @Test
  void aTransientReadErrorDuringRecoveryDoesNotCutAnIntactAcknowledgedRecord() throws Exception {
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder());
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      try (WriteAheadLog log = LogDriver.openChecked(vfs, CONFIG, oracle, "opening")) {
        for (int i = 0; i < 5; i++) {
          append(log, oracle, true);
        }
      }
      String segment = "00000000000000000001.wal";
      long lastRecordOffset = 512L * 5 + 100; // one record a 512-byte block, after the header's
      vfs.corruptOnRead(segment, lastRecordOffset, new byte[] {0x5A});
      vfs.setOperationHandler(event -> {
        if (event.kind() == OpKind.READ && segment.equals(event.file())
            && event.offset() <= lastRecordOffset
            && lastRecordOffset < event.offset() + event.length()) {
          vfs.setSilentFaultsEnabled(false); // the fault was transient: later reads are right
        }
      });
      try (WriteAheadLog log = WriteAheadLog.open(vfs, CONFIG)) {
        oracle.check(log, oracle.promise()).assertKept("reopened after a transient read error");
      }
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
