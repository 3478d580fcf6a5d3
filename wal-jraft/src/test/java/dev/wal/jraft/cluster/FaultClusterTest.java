package dev.wal.jraft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Status;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.CrashOptions.TornFill;
import dev.wal.vfs.faulty.CrashOptions.Unflushed;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FaultyVfs;
import dev.wal.vfs.faulty.OpKind;
import dev.wal.vfs.testkit.TestSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-member cluster on our storage over {@code faulty:memory}, one member faulted; after
 * each case all state machines agree and no acknowledged value is lost. Seeded: a failure prints
 * the seed and the line that replays it. {@code -Dwal.jraft.soak.rounds=N} repeats each case N
 * times on its cluster.
 */
final class FaultClusterTest {
  private static final int ELECTION_TIMEOUT_MS = 1_000;
  private static final int VALUES_PER_STEP = 200;
  private static final int IN_FLIGHT = 16;
  /** Values the old leader appends alone; well over the values written after it, so its tail conflicts. */
  private static final int ORPHANS = 2_000;

  @TempDir Path dir;

  private long seed;
  private FaultyStorage storage;
  private RaftCluster cluster;
  private final List<Long> acknowledged = new ArrayList<>();
  private long next = 1;

  @BeforeEach
  void startCluster() throws InterruptedException {
    seed = TestSeed.seed();
    storage = new FaultyStorage("jraft-" + UUID.randomUUID(), seed);
    cluster = RaftCluster.start(dir, 3, storage, ELECTION_TIMEOUT_MS);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void write() throws Exception {
    acknowledged.addAll(cluster.write(next, VALUES_PER_STEP, IN_FLIGHT));
    next += VALUES_PER_STEP;
  }

  private ClusterMember aFollower() throws InterruptedException {
    ClusterMember leader = cluster.awaitLeader();
    return cluster.running().stream().filter(member -> member != leader).findFirst().orElseThrow();
  }

  /** Runs the scenario {@link ClusterTest#rounds()} times on one cluster, the seed in any failure. */
  private void run(Scenario scenario) throws Exception {
    try {
      for (int round = 0; round < ClusterTest.rounds(); round++) {
        scenario.run();
      }
    } catch (Exception | AssertionError e) {
      throw TestSeed.withSeed(e, getClass(), seed);
    }
  }

  private interface Scenario {
    void run() throws Exception;
  }

  @Test
  void aFollowerCrashedToATornTailRejoinsAndNoCommittedValueIsLost() throws Exception {
    run(() -> {
      write();
      ClusterMember follower = aFollower();
      FaultyVfs live = storage.vfs(follower);
      String imageSpec = storage.nextGeneration(follower);
      CountDownLatch crashed = new CountDownLatch(1);
      AtomicBoolean armed = new AtomicBoolean(true);
      CrashOptions tornTail = CrashOptions.powerLoss().seed(seed)
          .unflushed(Unflushed.ALL, 1).torn(1, 0.25, EnumSet.allOf(TornFill.class));
      // Right after a write to a segment, before its flush: the image keeps that write, torn.
      live.setOperationHandler(event -> {
        if (event.kind() == OpKind.WRITE && event.file() != null && event.file().endsWith(".wal")
            && armed.compareAndSet(true, false)) {
          try {
            live.crash(tornTail, Vfs.open(imageSpec)).close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          live.halt("crashed to a torn tail after " + event);
          crashed.countDown();
        }
      });
      write();
      assertThat(crashed.await(RaftCluster.WAIT.toSeconds(), TimeUnit.SECONDS)).as("the follower crashed").isTrue();
      cluster.kill(follower);
      write();
      cluster.restart(follower);
      write();
      cluster.awaitAgreement(acknowledged);
    });
  }

  @Test
  void anFsyncFailureStopsOneMemberTheOthersGoOnAndItCatchesUpAfterReopen() throws Exception {
    run(() -> {
      write();
      ClusterMember follower = aFollower();
      storage.vfs(follower).addRule(FaultRule.failOn(OpKind.FLUSH).files("*.wal"));
      write();
      assertThat(cluster.awaitError(follower)).as("%s stopped on the failed flush", follower).isTrue();
      write();
      cluster.kill(follower);
      cluster.restart(follower);
      write();
      cluster.awaitAgreement(acknowledged);
    });
  }

  @Test
  void aLaggingFollowerCatchesUpByInstallingTheLeadersSnapshot() throws Exception {
    run(() -> {
      write();
      ClusterMember follower = aFollower();
      cluster.kill(follower);
      write();
      cluster.snapshot(cluster.awaitLeader());
      write();
      cluster.snapshot(cluster.awaitLeader()); // the second snapshot drops the log before the first
      write();
      cluster.restart(follower);
      write();
      cluster.awaitAgreement(acknowledged);
      assertThat(follower.stateMachine().snapshotsLoaded()).as("snapshots %s loaded", follower).isPositive();
    });
  }

  @Test
  void aLaggingFollowerWhoseLogFailsToMoveToTheInstalledSnapshotStopsAndCatchesUpAfterReopen() throws Exception {
    run(() -> {
      write();
      ClusterMember follower = aFollower();
      cluster.kill(follower);
      write();
      cluster.snapshot(cluster.awaitLeader());
      write();
      cluster.snapshot(cluster.awaitLeader());
      write();
      // The install moves the log past its end (the engine's reset), which rewrites wal.meta.
      storage.failOnNextOpen(follower, FaultRule.failOn(OpKind.FLUSH).files("wal.meta*"));
      cluster.restart(follower);
      assertThat(cluster.awaitError(follower)).as("%s stopped on the failed flush", follower).isTrue();
      assertThat(storage.calls(follower)).as("calls to %s's storage", follower)
          .anyMatch(call -> call.startsWith("truncatePrefix(") || call.startsWith("reset("));
      cluster.kill(follower);
      cluster.restart(follower);
      write();
      cluster.awaitAgreement(acknowledged);
      assertThat(follower.stateMachine().snapshotsLoaded()).as("snapshots %s loaded", follower).isPositive();
    });
  }

  @Test
  void aFormerLeaderWithAConflictingTailIsResetByTheNewLeadersSnapshot() throws Exception {
    run(() -> {
      write();
      ClusterMember oldLeader = cluster.awaitLeader();
      List<ClusterMember> followers = cluster.running().stream().filter(m -> m != oldLeader).toList();
      for (ClusterMember follower : followers) {
        cluster.kill(follower);
      }
      // Appended by the old leader alone, until it steps down: never committed.
      List<CompletableFuture<Status>> orphans = cluster.submit(next, ORPHANS);
      for (int i = 0; i < orphans.size(); i++) {
        if (RaftCluster.await(orphans.get(i)).isOk()) {
          acknowledged.add(next + i);
        }
      }
      next += ORPHANS;
      long oldLastIndex = oldLeader.node().getLastLogIndex();
      cluster.kill(oldLeader);
      for (ClusterMember follower : followers) {
        cluster.restart(follower);
      }
      write();
      cluster.snapshot(cluster.awaitLeader());
      write();
      ClusterMember newLeader = cluster.awaitLeader();
      cluster.snapshot(newLeader); // the second snapshot drops the log before the first
      assertThat(newLeader.stateMachine().appliedIndex())
          .as("the new leader's snapshot lies inside the old leader's conflicting tail")
          .isLessThan(oldLastIndex);
      write();
      cluster.restart(oldLeader);
      write();
      cluster.awaitAgreement(acknowledged);
      assertThat(storage.calls(oldLeader)).as("calls to %s's storage", oldLeader).anyMatch(call -> call.startsWith("reset("));
      assertThat(oldLeader.stateMachine().snapshotsLoaded()).isPositive();
    });
  }
}
