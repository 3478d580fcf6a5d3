package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's property ({@link RecoveryProperty}) on valid logs damaged at random, without
 * Jazzer: a short seeded run in the default build. Set {@code -Dwal.tests.seed=...} to replay one.
 */
class CorruptSegmentPropertyTest {
  private static final int RUNS = 500;

  @Test
  void randomDamageIsRepairedOrReportedAndNeverReadBackAsRecordsThatWereNotAppended()
      throws IOException {
    long seed = TestSeed.seed();
    SplittableRandom random = new SplittableRandom(seed);
    Map<RecoveryProperty.Outcome, Integer> outcomes =
        new EnumMap<>(RecoveryProperty.Outcome.class);
    for (int run = 0; run < RUNS; run++) {
      LogImages.Image image = LogImages.shape(random.nextInt(LogImages.count()));
      // Without resealing, damage cannot forge a checksum: whatever reads back was appended.
      boolean reseal = random.nextInt(3) == 0;
      Map<String, Long> sizes = new HashMap<>();
      List<String> applied = new ArrayList<>();
      Map<String, byte[]> damaged = Mutations.apply(
          image.files(), Mutations.Choices.random(random), 4, reseal, sizes, applied);
      try {
        RecoveryProperty.Outcome outcome = RecoveryProperty.check(damaged, sizes,
            image.sectorSize(), image.config(), reseal ? null : image.payloads(),
            "run " + run + ", shape '" + image.shape() + "' after " + applied);
        outcomes.merge(outcome, 1, Integer::sum);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw TestSeed.withSeed(e, CorruptSegmentPropertyTest.class, seed);
      }
    }
    // Both outcomes occur: the damage is neither all harmless nor all fatal.
    assertThat(outcomes).as("seed %d", seed).containsKeys(RecoveryProperty.Outcome.values());
  }
}
