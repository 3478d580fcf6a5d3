package dev.wal.engine;

import org.junit.jupiter.api.Test;

/**
 * Explores the {@link GroupCommitScenario}s under Fray's controlled scheduler, deeper than {@link
 * GroupCommitModelTest}: each scenario runs a few hundred schedules, each with its own workload,
 * from a seed that replays both (see {@link FrayRuns}).
 *
 * <p>Runs only on Fray's instrumented JDK, which the {@code fray} profile of this module prepares
 * from a JDK 25 (see the README); the default build leaves this class out.
 */
class GroupCommitFrayTest {
  /** With the background flusher, which Fray models, timed waits included. */
  private static final WalConfig CONFIG = GroupCommitScenario.config().build();

  @Test
  void appendsWaitsAndFlushesKeepEveryPromiseUnderEverySchedule() {
    explore(GroupCommitScenario.PROMISES);
  }

  @Test
  void aFailedFlushReachesEveryWaiterAndEveryLaterCallUnderEverySchedule() {
    explore(GroupCommitScenario.FAIL_STOP);
  }

  @Test
  void closeDuringAppendsAcknowledgesDurablyOrRefusesUnderEverySchedule() {
    explore(GroupCommitScenario.CLOSE);
  }

  private void explore(GroupCommitScenario scenario) {
    FrayRuns.explore(
        getClass(), scenario.name(), random -> scenario.run(scenario.draw(random), CONFIG));
  }
}
