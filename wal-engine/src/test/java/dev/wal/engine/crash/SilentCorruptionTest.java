package dev.wal.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.CorruptLogException;
import dev.wal.engine.WalConfig;
import dev.wal.engine.WriteAheadLog;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.InjectedFault;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Silent corruption in the middle of the log (a flipped bit, a latent sector error, a misdirected
 * write, placed in flushed data that more flushed data follows) is reported, at open or at read,
 * and never read back as data.
 */
class SilentCorruptionTest {
  static final int LOGS = 12;
  static final int DAMAGES_PER_LOG = 16;

  /** What goes wrong with the record's bytes. */
  enum Damage {
    BIT_FLIP,
    LATENT_SECTOR_GARBAGE,
    LATENT_SECTOR_THROWS,
    MISDIRECTED_WRITE
  }

  /** Where a record lies: its segment and the offsets of its header and payload end. */
  record Placed(String segment, long start, long end) {}

  @Test
  void corruptionFollowedByFlushedRecordsIsReportedAndNeverReadBackAsData() throws Exception {
    long seed = TestSeed.seed();
    long started = System.nanoTime();
    long placed = 0;
    try {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < LOGS; i++) {
        placed += damageOneLog(random.split());
      }
    } catch (Throwable e) {
      throw TestSeed.withSeed(e, SilentCorruptionTest.class, seed);
    }
    CrashCounts.print(SilentCorruptionTest.class, " (" + placed + " silent faults placed)", 0, 0,
        (System.nanoTime() - started) / 1_000_000);
    assertThat(placed).isEqualTo((long) LOGS * DAMAGES_PER_LOG);
  }

  static long damageOneLog(SplittableRandom random) throws Exception {
    WalConfig config = CrashHarness.smallConfig(random);
    FaultyVfs vfs = CrashHarness.faulty(FaultConfig.builder().seed(random.nextLong()));
    try {
      DurabilityOracle oracle = new DurabilityOracle();
      List<byte[]> payloads = new ArrayList<>();
      try (WriteAheadLog log = WriteAheadLog.open(vfs, config)) {
        int records = 20 + random.nextInt(40);
        for (int i = 0; i < records; i++) {
          // One durable append at a time: each record is written after the one before it was
          // made durable, so it vouches for it (see Recovery).
          DurabilityOracle.Append append =
              oracle.next(CrashPayload.MIN_BYTES + random.nextInt(600));
          long lsn = log.append(append.payload(), append.tag());
          oracle.appended(append, lsn);
          oracle.durableThrough(lsn);
          payloads.add(append.payload());
        }
      }
      List<Placed> all = locate(vfs, payloads);
      Placed last = all.get(all.size() - 1);
      List<Placed> middle = all.subList(0, all.size() - 1);
      for (int d = 0; d < DAMAGES_PER_LOG; d++) {
        Damage damage = Damage.values()[random.nextInt(Damage.values().length)];
        Placed victim = middle.get(random.nextInt(middle.size()));
        long offset = victim.start() + random.nextLong(victim.end() - victim.start());
        boolean afterOpen = random.nextBoolean();
        String context = damage + " at offset " + offset + " of " + victim.segment() + " ("
            + (afterOpen ? "after open" : "before open") + "), log with " + config;
        FaultyVfs image = vfs.crash(CrashOptions.processCrash().imageConfig(FaultConfig.builder()
            .latentSectorErrors(0, damage == Damage.LATENT_SECTOR_THROWS).build()),
            CrashHarness.target());
        try {
          expectReported(image, config, oracle, damage, victim, last, offset, afterOpen, random,
              context);
          CrashCounts.SILENT_FAULTS.incrementAndGet();
        } finally {
          CrashHarness.release(image);
        }
      }
      return DAMAGES_PER_LOG;
    } finally {
      CrashHarness.release(vfs);
    }
  }

  private static void expectReported(FaultyVfs image, WalConfig config, DurabilityOracle oracle,
      Damage damage, Placed victim, Placed last, long offset, boolean afterOpen,
      SplittableRandom random, String context) throws Exception {
    WriteAheadLog log = null;
    try {
      if (afterOpen) {
        log = WriteAheadLog.open(image, config);
      }
      place(image, damage, victim, last, offset, random);
      if (!afterOpen) {
        log = WriteAheadLog.open(image, config);
      }
      DurabilityOracle.Verdict verdict = oracle.check(log, oracle.promise());
      throw new AssertionError(context + ": not reported; the log read back "
          + (verdict.kept() ? "every record intact (damage never read)" : verdict.problems()));
    } catch (CorruptLogException e) {
      // Zeros at a batch boundary look like the end of an older segment; then the next
      // segment's first LSN is what does not fit, and the report names that segment.
      assertThat(e.segment()).as(context).isGreaterThanOrEqualTo(victim.segment());
    } catch (IOException e) {
      if (damage != Damage.LATENT_SECTOR_THROWS || !InjectedFault.isInjected(e)) {
        throw new AssertionError(context + ": reported as " + e + ", not as corruption", e);
      }
    } finally {
      if (log != null) {
        LogDriver.closeQuietly(log);
      }
    }
  }

  private static void place(FaultyVfs image, Damage damage, Placed victim, Placed last,
      long offset, SplittableRandom random) throws IOException {
    String name = victim.segment();
    switch (damage) {
      case BIT_FLIP -> {
        byte original = read(image, name, offset, 1)[0];
        byte flipped = (byte) (original ^ (1 << random.nextInt(8)));
        image.corruptOnRead(name, offset, new byte[] {flipped});
      }
      case LATENT_SECTOR_GARBAGE, LATENT_SECTOR_THROWS -> image.addLatentSectorError(name, offset);
      case MISDIRECTED_WRITE -> {
        // The write of the victim's sector landed on another sector of the same file: where it
        // was aimed, reads show what was there before (zeros); where it went, its bytes. It
        // lands in the middle too: on the last record, no later record would vouch for the
        // damage, which recovery then cuts as a torn tail (see Recovery).
        int sector = CrashHarness.SECTOR_BYTES;
        long aimed = offset / sector * sector;
        long middleEnd = name.equals(last.segment()) ? last.start() : size(image, name);
        long landed = aimed;
        while (landed == aimed) {
          landed = random.nextLong(middleEnd / sector) * sector;
        }
        byte[] bytes = read(image, name, aimed, sector);
        image.corruptOnRead(name, landed, bytes);
        image.corruptOnRead(name, aimed, new byte[sector]);
      }
      default -> throw new IllegalArgumentException(damage.toString());
    }
  }

  /** {@return where each payload's record lies, found by its unique bytes} */
  private static List<Placed> locate(Vfs vfs, List<byte[]> payloads) throws IOException {
    List<Placed> placed = new ArrayList<>();
    List<String> segments = vfs.list().stream().filter(n -> n.matches("\\d{20}\\.wal")).sorted()
        .toList();
    int next = 0;
    for (String segment : segments) {
      byte[] content = read(vfs, segment, 0, (int) size(vfs, segment));
      int from = 0;
      while (next < payloads.size()) {
        int at = indexOf(content, payloads.get(next), from);
        if (at < 0) {
          break;
        }
        placed.add(new Placed(segment, at - 32, at + payloads.get(next).length));
        from = at + payloads.get(next).length;
        next++;
      }
    }
    if (next != payloads.size()) {
      throw new AssertionError("found " + next + " of " + payloads.size() + " records in "
          + segments);
    }
    return placed;
  }

  private static int indexOf(byte[] content, byte[] wanted, int from) {
    outer:
    for (int i = from; i <= content.length - wanted.length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (content[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long size(Vfs vfs, String name) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      return file.size();
    }
  }

  private static byte[] read(Vfs vfs, String name, long offset, int length) throws IOException {
    try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      file.readFully(offset, buffer);
      return buffer.array();
    }
  }
}
