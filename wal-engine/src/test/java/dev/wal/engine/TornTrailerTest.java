package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A power loss may tear a batch so that only its trailer is damaged, while the next batch, written
 * before either was flushed, is intact and starts with the next LSN. That is a torn tail, not a
 * misdirected write: found by the crash soak's sweep of a log truncated behind its appends.
 */
class TornTrailerTest {
  private static final WalConfig CONFIG =
      WalConfig.builder()
          .segmentBytes(64 << 10)
          .bufferBytes(4096)
          .maxRecordBytes(4000)
          .flushInterval(Duration.ofMinutes(1))
          .build();

  @Test
  void aDamagedTrailerFollowedByTheNextLsnIsCutAsATornTail() throws IOException {
    SparseVfs vfs = new SparseVfs(512);
    try (WriteAheadLog log = WriteAheadLog.open(vfs, CONFIG)) {
      log.append(Payloads.bytes(1, 100), 1); // durable: the later batches are written after it
      for (long lsn = 2; lsn <= 12; lsn++) { // several full buffers, written but not flushed
        log.appendNoWait(Payloads.bytes(lsn, 900), lsn);
      }
      log.awaitBackgroundIdle();
      SparseVfs crashed = new SparseVfs(512);
      String name = SegmentFiles.lastSegment(vfs);
      byte[] bytes = SegmentFiles.read(vfs, name);
      long[] secondBatch = secondBatchEnd(vfs, name);
      long trailer = secondBatch[0];
      long lastBeforeTrailer = secondBatch[1];
      bytes[(int) trailer + WalFormat.RECORD_DURABLE_LSN_OFFSET] ^= 0x40; // its sector lost
      crashed.put(name, bytes, vfs.size(name));
      try (WriteAheadLog reopened = WriteAheadLog.open(crashed, CONFIG)) {
        assertThat(reopened.recoveryReport().repairedSegment()).contains(name);
        assertThat(reopened.lastLsn()).isEqualTo(lastBeforeTrailer);
        assertThat(Payloads.readAll(reopened, 1)).hasSize((int) lastBeforeTrailer);
      }
    }
  }

  /**
   * {@return the offset of the trailer of the segment's second batch (the first not flushed), and
   * the LSN of the last record before it}
   */
  private static long[] secondBatchEnd(SparseVfs vfs, String name) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      SegmentScanner scanner =
          SegmentScanner.open(file, name, SegmentNames.parseSegmentName(name), 1 << 20);
      int trailers = 0;
      long lastLsn = 0;
      for (long at = scanner.dataOffset(); ; at += scanner.decoder().recordBytes()) {
        assertThat(scanner.decodeAt(at, Integer.MAX_VALUE)).isEqualTo(RecordDecoder.VALID);
        if (!scanner.decoder().isTrailer()) {
          lastLsn = scanner.decoder().lsn;
        } else if (++trailers == 2) {
          return new long[] {at, lastLsn};
        }
      }
    }
  }
}
