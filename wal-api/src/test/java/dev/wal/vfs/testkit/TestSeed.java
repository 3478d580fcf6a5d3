package dev.wal.vfs.testkit;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The seed of a randomized test: from the system property {@code wal.tests.seed} when set, random
 * otherwise, with the line that replays a failure.
 */
public final class TestSeed {
  /** The system property that fixes the seed. */
  public static final String PROPERTY = "wal.tests.seed";

  private TestSeed() {}

  /** {@return the seed to use: the property's value when set, else a fresh random one} */
  public static long seed() {
    String value = System.getProperty(PROPERTY, "").strip();
    if (value.isEmpty()) {
      return new SplittableRandom().nextLong();
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + PROPERTY + "=" + value + " is not a long", e);
    }
  }

  /**
   * Returns the command that replays a test with a seed. The module is the name of the working
   * directory, which is the module's own when Maven's Surefire runs the test.
   *
   * @param testClass the test class to run
   * @param seed the seed
   * @return a command run from the project root that builds the module and what it needs, and
   *     runs only that class with that seed
   */
  public static String reproduceLine(Class<?> testClass, long seed) {
    Path module = Path.of("").toAbsolutePath().getFileName();
    return "mvn -B verify -pl " + module + " -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest="
        + testClass.getSimpleName() + " -D" + PROPERTY + "=" + seed;
  }

  /**
   * Wraps a failure of a seeded test so that its message gives the seed and the reproduce line.
   *
   * @param failure what the test threw
   * @param testClass the test class
   * @param seed the seed
   * @return an {@link AssertionError} with that message and {@code failure} as its cause
   */
  public static AssertionError withSeed(Throwable failure, Class<?> testClass, long seed) {
    return new AssertionError(
        "failed with seed " + seed + ": " + failure + "\n  reproduce with: "
            + reproduceLine(testClass, seed),
        failure);
  }
}
