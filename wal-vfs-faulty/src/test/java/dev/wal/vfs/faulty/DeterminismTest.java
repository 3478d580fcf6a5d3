package dev.wal.vfs.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  @Test
  void theSameSeedAndOperationsGiveAByteIdenticalImage() throws IOException {
    long seed = Files.testSeed();
    try {
      for (int round = 0; round < 20; round++) {
        long roundSeed = seed + round;
        Map<String, byte[]> first = imageAfterWorkload(roundSeed);
        Map<String, byte[]> second = imageAfterWorkload(roundSeed);
        assertThat(second.keySet()).isEqualTo(first.keySet());
        first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
      }
    } catch (AssertionError | IOException | RuntimeException e) {
      throw new AssertionError(Files.reproduce(DeterminismTest.class, seed), e);
    }
  }

  @Test
  void theCrashSeedDecidesWhichUnflushedWritesSurvive() throws IOException {
    long seed = Files.testSeed();
    // The workload ends with eight unflushed writes to a durable file, each of which survives
    // with probability 1/2 and may tear: eight crash seeds choosing the same image would take
    // odds of 2^-56. (Two given seeds may well agree: a workload can leave little unflushed.)
    Set<Map<String, String>> images = new HashSet<>();
    for (long crashSeed = 1; crashSeed <= 8; crashSeed++) {
      Map<String, String> image = new LinkedHashMap<>();
      imageAfterWorkload(seed, crashSeed, true)
          .forEach((name, bytes) -> image.put(name, HexFormat.of().formatHex(bytes)));
      images.add(image);
    }
    assertThat(images).as(Files.reproduce(DeterminismTest.class, seed)).hasSizeGreaterThan(1);
  }

  @Test
  void theSameSeedReplaysTheSameErrorsAndSilentFaultsInTheTrace() throws IOException {
    long seed = Files.testSeed();
    String first = traceOfFaultyWorkload(seed);
    assertThat(traceOfFaultyWorkload(seed)).as(Files.reproduce(DeterminismTest.class, seed))
        .isEqualTo(first)
        .contains("FAULT READ", "FAULT WRITE", "flipped bit", "latent sector", "misdirected");
    assertThat(traceOfFaultyWorkload(seed + 1)).as(Files.reproduce(DeterminismTest.class, seed))
        .isNotEqualTo(first);
  }

  /** {@return the printed trace of a fixed workload under every probabilistic fault} */
  private static String traceOfFaultyWorkload(long seed) throws IOException {
    FaultConfig config = FaultConfig.builder().seed(seed).sectorSize(64)
        .rule(FaultRule.failOn(OpKind.READ, OpKind.WRITE, OpKind.FLUSH).withProbability(0.1))
        .bitFlipOnRead(0.2)
        .latentSectorErrors(0.1, false)
        .misdirectedWrites(0.1)
        .build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      for (int i = 0; i < 200; i++) {
        try (VfsFile file = vfs.open("f" + i % 3, Vfs.OpenMode.CREATE)) {
          file.write(i * 32L % 2048, ByteBuffer.wrap(new byte[100]));
          file.read(i * 16L % 2048, ByteBuffer.allocate(64));
          file.flush();
        } catch (InjectedIOException | dev.wal.vfs.FlushFailedException e) {
          // in the trace
        }
      }
      return vfs.printTrace();
    }
  }

  private static Map<String, byte[]> imageAfterWorkload(long seed) throws IOException {
    return imageAfterWorkload(seed, seed, false);
  }

  /**
   * A random workload over a few files, then, if asked, unflushed writes to a durable file, then
   * a power-loss crash in which each unflushed write survives with probability 1/2 and may tear.
   */
  private static Map<String, byte[]> imageAfterWorkload(long seed, long crashSeed,
      boolean unflushedTail) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    FaultConfig config = FaultConfig.builder().seed(seed).sectorSize(64).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      for (int i = 0; i < 300; i++) {
        String name = "f" + random.nextInt(4);
        int action = random.nextInt(10);
        if (action < 6) {
          try (VfsFile file = vfs.open(name, Vfs.OpenMode.CREATE)) {
            byte[] data = new byte[1 + random.nextInt(200)];
            random.nextBytes(data);
            file.write(random.nextInt(1000), ByteBuffer.wrap(data));
          }
        } else if (action == 6 && vfs.exists(name)) {
          try (VfsFile file = vfs.open(name, Vfs.OpenMode.EXISTING)) {
            file.flush();
          }
        } else if (action == 7 && vfs.exists(name)) {
          vfs.rename(name, "f" + random.nextInt(4));
        } else if (action == 8 && vfs.exists(name)) {
          vfs.delete(name);
        } else if (action == 9) {
          vfs.syncDirectory();
        }
      }
      if (unflushedTail) {
        try (VfsFile file = vfs.open("tail", Vfs.OpenMode.CREATE)) {
          file.flush();
          vfs.syncDirectory();
          for (int i = 0; i < 8; i++) {
            byte[] data = new byte[64];
            random.nextBytes(data);
            file.write(i * 64L, ByteBuffer.wrap(data));
          }
        }
      }
      CrashOptions options = CrashOptions.powerLoss().seed(crashSeed)
          .unflushed(CrashOptions.Unflushed.SUBSET, 0.5)
          .torn(0.5, 0.5, EnumSet.allOf(CrashOptions.TornFill.class));
      try (FaultyVfs image = vfs.crash(options, Files.freshStorage())) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : image.list()) {
          files.put(name, Files.readAll(image, name));
        }
        return files;
      }
    }
  }
}
