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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's property ({@link RecoveryProperty}) on valid logs damaged at random, without
 * Jazzer: a short seeded run in the default build, of random damage and of clean-close markers of
 * any fields. Set {@code -Dwal.tests.seed=...} to replay one.
 */
class CorruptSegmentPropertyTest {
  private static final int RUNS = 500;
  private static final int MARKER_RUNS = 300;

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
    assertThat(outcomes).as("seed %d", seed)
        .containsKeys(RecoveryProperty.Outcome.OPENED, RecoveryProperty.Outcome.CORRUPT);
  }

  @Test
  void aCleanCloseMarkerSkipsTheRewriteOnlyWhenItMatchesTheNewestSegment() throws IOException {
    long seed = TestSeed.seed();
    SplittableRandom random = new SplittableRandom(seed);
    Mutations.Choices choices = Mutations.Choices.random(random);
    Map<RecoveryProperty.Outcome, Integer> outcomes =
        new EnumMap<>(RecoveryProperty.Outcome.class);
    for (int run = 0; run < MARKER_RUNS; run++) {
      LogImages.Image image = LogImages.shape(random.nextInt(LogImages.count()));
      List<String> applied = new ArrayList<>();
      Map<String, byte[]> files = new TreeMap<>(image.files());
      files.put(SegmentNames.META,
          CleanCloseMarkers.metaWith(image, CleanCloseMarkers.perturbed(image, choices, applied)));
      Map<String, Long> sizes = new HashMap<>();
      if (random.nextInt(3) == 0) { // damage behind a marker that may match
        Map<String, byte[]> segments = new TreeMap<>(files);
        segments.remove(SegmentNames.META);
        files.keySet().removeAll(segments.keySet());
        files.putAll(Mutations.apply(segments, choices, 2, false, sizes, applied));
      }
      try {
        RecoveryProperty.Outcome outcome = RecoveryProperty.check(files, sizes,
            image.sectorSize(), image.config(), image.payloads(),
            "run " + run + ", shape '" + image.shape() + "' with " + applied);
        outcomes.merge(outcome, 1, Integer::sum);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw TestSeed.withSeed(e, CorruptSegmentPropertyTest.class, seed);
      }
    }
    // Markers that match, markers that do not, and impossible ones all occur.
    assertThat(outcomes).as("seed %d", seed).containsKeys(RecoveryProperty.Outcome.values());
  }
}
