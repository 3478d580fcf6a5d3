package dev.wal.jraft.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.alipay.sofa.jraft.Status;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-member cluster on one storage, faulted as the cases say; after each, all state machines
 * agree and no acknowledged value is lost.
 *
 * <p>The default run does each case once. A soak repeats the cases' rounds: {@code mvn -B verify
 * -pl wal-jraft -am -Dtest=<Class> -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwal.jraft.soak.rounds=50}.
 */
abstract class ClusterTest {
  /** The system property giving how many rounds each case runs. */
  static final String SOAK_ROUNDS = "wal.jraft.soak.rounds";
  private static final int MEMBERS = 3;
  private static final int ELECTION_TIMEOUT_MS = 1_000;
  private static final int VALUES_PER_STEP = 200;
  private static final int IN_FLIGHT = 16;

  @TempDir Path dir;

  private RaftCluster cluster;

  /** {@return the storage every member runs on} */
  protected abstract StorageSetup storage();

  static int rounds() {
    String value = System.getProperty(SOAK_ROUNDS, "").strip();
    return value.isEmpty() ? 1 : Integer.parseInt(value);
  }

  @BeforeEach
  void startCluster() throws InterruptedException {
    cluster = RaftCluster.start(dir, MEMBERS, storage(), ELECTION_TIMEOUT_MS);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyMemberListensOnLoopbackAlone() throws Exception {
    assumeTrue(LoopbackSockets.available(), "this system has no /proc/net/tcp to read");
    for (ClusterMember member : cluster.members()) {
      List<InetAddress> addresses = LoopbackSockets.listeningAddresses(member.port());
      assertThat(addresses).as("addresses listening on %s", member).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
    }
  }

  @Test
  void committedValuesSurviveTheLeaderBeingKilledAndRestarted() throws Exception {
    List<Long> acknowledged = new ArrayList<>();
    long next = 1;
    for (int round = 0; round < rounds(); round++) {
      acknowledged.addAll(cluster.write(next, VALUES_PER_STEP, IN_FLIGHT));
      next += VALUES_PER_STEP;

      ClusterMember leader = cluster.awaitLeader();
      List<CompletableFuture<Status>> inFlight = cluster.submit(next, VALUES_PER_STEP);
      cluster.kill(leader);
      for (int i = 0; i < inFlight.size(); i++) {
        if (RaftCluster.await(inFlight.get(i)).isOk()) {
          acknowledged.add(next + i);
        }
      }
      next += VALUES_PER_STEP;

      acknowledged.addAll(cluster.write(next, VALUES_PER_STEP, IN_FLIGHT));
      next += VALUES_PER_STEP;
      cluster.restart(leader);
      cluster.awaitAgreement(acknowledged);
    }
    assertThat(cluster.running()).hasSize(MEMBERS);
  }
}
