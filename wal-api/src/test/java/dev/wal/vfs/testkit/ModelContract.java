package dev.wal.vfs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.testkit.ModelRun.Op;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded model-based test: 10,000 random operations on a few files (writes at offsets, reads,
 * truncates, sizes, flushes, renames, deletes, opens in every mode, list and exists), each
 * compared with {@link VfsModel}. A failure gives the seed and the line that replays it.
 */
interface ModelContract extends VfsFixture {
  int OPERATIONS = 10_000;

  @Test
  default void tenThousandRandomOperationsAgreeWithASimpleModel() throws Exception {
    long seed = TestSeed.seed();
    ModelRun run = new ModelRun(vfs(), new SplittableRandom(seed));
    try {
      for (int i = 0; i < OPERATIONS; i++) {
        Op op = run.step();
        run.checkAfter(op, i % 1000 == 999);
      }
      run.checkAllContents();
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(
          new AssertionError("after operations:\n" + run.recentOperations(), e), getClass(), seed);
    } finally {
      run.closeHandles();
    }
    assertThat(run.operationCount()).isEqualTo(OPERATIONS);
  }
}
