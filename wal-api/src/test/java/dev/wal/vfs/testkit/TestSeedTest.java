package dev.wal.vfs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A seeded test's failure names its seed and the command that replays it. */
class TestSeedTest {
  private final String saved = System.getProperty(TestSeed.PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (saved == null) {
      System.clearProperty(TestSeed.PROPERTY);
    } else {
      System.setProperty(TestSeed.PROPERTY, saved);
    }
  }

  @Test
  void aFailureGetsItsSeedAndACommandThatRunsOnlyThatClassWithThatSeed() {
    IllegalStateException cause = new IllegalStateException("boom");
    AssertionError failure = TestSeed.withSeed(cause, TestSeedTest.class, -42);
    assertThat(failure).hasCause(cause);
    assertThat(failure.getMessage())
        .contains("failed with seed -42: java.lang.IllegalStateException: boom")
        .contains("reproduce with: mvn -B verify -pl wal-api -am "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dtest=TestSeedTest -Dwal.tests.seed=-42");
  }

  @Test
  void thePropertyFixesTheSeed() {
    System.setProperty(TestSeed.PROPERTY, " 1234 ");
    assertThat(TestSeed.seed()).isEqualTo(1234);
  }

  @Test
  void aSeedPropertyThatIsNotALongIsRefusedNamingItsValue() {
    System.setProperty(TestSeed.PROPERTY, "forty-two");
    assertThatThrownBy(TestSeed::seed).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wal.tests.seed=forty-two");
  }
}
