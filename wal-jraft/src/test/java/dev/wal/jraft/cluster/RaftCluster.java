package dev.wal.jraft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Raft group of in-JVM members on loopback, a client that writes unique values to it, and the
 * checks that every member agrees and no acknowledged value is lost.
 *
 * <p>Every wait is bounded by {@link #WAIT}, a guard against a hang rather than a timing
 * assertion. {@link #close()} stops every member. Not thread-safe: one test thread drives it.
 */
final class RaftCluster implements AutoCloseable {
  /** The longest any single wait may take before the test fails as hung. */
  static final Duration WAIT = Duration.ofSeconds(60);
  /** How often a value is offered to a leader before the client gives up on it. */
  private static final int ATTEMPTS_PER_VALUE = 5;

  private final List<ClusterMember> members;
  private final ClusterSignal signal;
  private final Configuration configuration;

  private RaftCluster(List<ClusterMember> members, ClusterSignal signal, Configuration configuration) {
    this.members = members;
    this.signal = signal;
    this.configuration = configuration;
  }

  /**
   * Starts {@code size} members under {@code dir}, on {@code storage}, and returns once they all
   * run (not yet once they have a leader: see {@link #awaitLeader()}).
   */
  static RaftCluster start(Path dir, int size, StorageSetup storage, int electionTimeoutMs) throws InterruptedException {
    ClusterSignal signal = new ClusterSignal();
    List<ClusterMember> members = new ArrayList<>();
    Configuration configuration = new Configuration();
    RaftCluster cluster = new RaftCluster(members, signal, configuration);
    boolean started = false;
    try {
      for (int i = 0; i < size; i++) {
        ClusterMember member = new ClusterMember("n" + i, dir.resolve("n" + i), storage, signal, electionTimeoutMs);
        members.add(member);
        member.bind();
        configuration.addPeer(member.peerId());
      }
      for (ClusterMember member : members) {
        member.startNode(configuration);
      }
      started = true;
      return cluster;
    } finally {
      if (!started) {
        cluster.close();
      }
    }
  }

  /** {@return the members, running or not} */
  List<ClusterMember> members() {
    return members;
  }

  /** {@return the running members} */
  List<ClusterMember> running() {
    return members.stream().filter(ClusterMember::isRunning).toList();
  }

  /** Waits for a running member that leads and can take writes, and returns it. */
  ClusterMember awaitLeader() throws InterruptedException {
    assertThat(signal.await(() -> running().stream().anyMatch(ClusterMember::isLeading), WAIT))
        .as("a leader among %s within %s", running(), WAIT)
        .isTrue();
    return running().stream().filter(ClusterMember::isLeading).findFirst().orElseThrow();
  }

  /** Stops a member as a crash of its process would, but with its files left as written. */
  void kill(ClusterMember member) throws InterruptedException {
    member.stop(true);
  }

  /** Starts a stopped member again on its port and directory. */
  void restart(ClusterMember member) {
    member.bind();
    member.startNode(configuration);
  }

  /**
   * Submits each value once to the current leader without waiting for it to commit.
   *
   * @return one future per value, completed with the status SOFAJRaft reports for it
   */
  List<CompletableFuture<Status>> submit(long fromValue, int count) throws InterruptedException {
    ClusterMember leader = awaitLeader();
    List<CompletableFuture<Status>> statuses = new ArrayList<>();
    for (long value = fromValue; value < fromValue + count; value++) {
      CompletableFuture<Status> status = new CompletableFuture<>();
      leader.node().apply(new Task(SequenceStateMachine.encode(value), status::complete));
      statuses.add(status);
    }
    return statuses;
  }

  /**
   * Writes values {@code fromValue .. fromValue + count - 1}, up to {@code inFlight} at once,
   * offering a value again to the then current leader when an attempt fails.
   *
   * @return the values acknowledged as committed, which is all of them
   */
  List<Long> write(long fromValue, int count, int inFlight) throws Exception {
    List<Long> acknowledged = new ArrayList<>();
    List<Long> pending = new ArrayList<>();
    for (long value = fromValue; value < fromValue + count; value++) {
      pending.add(value);
    }
    for (int attempt = 0; attempt < ATTEMPTS_PER_VALUE && !pending.isEmpty(); attempt++) {
      List<Long> failed = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += inFlight) {
        List<Long> window = pending.subList(from, Math.min(pending.size(), from + inFlight));
        writeWindow(window, acknowledged, failed);
      }
      pending = failed;
    }
    assertThat(pending).as("values never acknowledged after %s attempts", ATTEMPTS_PER_VALUE).isEmpty();
    return acknowledged;
  }

  private void writeWindow(List<Long> window, List<Long> acknowledged, List<Long> failed) throws Exception {
    ClusterMember leader = awaitLeader();
    List<CompletableFuture<Status>> statuses = new ArrayList<>();
    for (long value : window) {
      CompletableFuture<Status> status = new CompletableFuture<>();
      leader.node().apply(new Task(SequenceStateMachine.encode(value), status::complete));
      statuses.add(status);
    }
    for (int i = 0; i < window.size(); i++) {
      (await(statuses.get(i)).isOk() ? acknowledged : failed).add(window.get(i));
    }
  }

  /** Waits for a status SOFAJRaft must report: every closure is run, with success or an error. */
  static Status await(CompletableFuture<Status> status) throws InterruptedException, ExecutionException {
    try {
      return status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no status for a submitted value within " + WAIT, e);
    }
  }

  /** Waits until the member has applied up to {@code index}; returns whether it did in {@code timeout}. */
  boolean awaitApplied(ClusterMember member, long index, Duration timeout) throws InterruptedException {
    return signal.await(() -> member.isRunning() && member.stateMachine().appliedIndex() >= index, timeout);
  }

  /** Waits until SOFAJRaft reports an error to the member's state machine; returns whether it did. */
  boolean awaitError(ClusterMember member) throws InterruptedException {
    return signal.await(() -> member.stateMachine().error() != null, WAIT);
  }

  /** Has the member take a snapshot now, and waits until it is saved. */
  void snapshot(ClusterMember member) throws InterruptedException, ExecutionException {
    CompletableFuture<Status> done = new CompletableFuture<>();
    member.node().snapshot(done::complete);
    Status status = await(done);
    assertThat(status.isOk()).as("snapshot of %s: %s", member, status).isTrue();
  }

  /**
   * Waits until every running member has applied all the leader has, then checks that they
   * applied the same values in the same order, that every acknowledged value is among them, and
   * that no member reported an error.
   */
  void awaitAgreement(Collection<Long> acknowledged) throws InterruptedException {
    long target = awaitLeader().stateMachine().appliedIndex();
    List<ClusterMember> running = running();
    assertThat(signal.await(() -> running.stream().allMatch(m -> m.stateMachine().appliedIndex() >= target), WAIT))
        .as("every member applied up to %s within %s", target, WAIT)
        .isTrue();
    List<Long> reference = running.get(0).stateMachine().values();
    for (ClusterMember member : running) {
      assertThat(member.stateMachine().error()).as("error reported to %s", member).isNull();
      assertThat(member.stateMachine().values()).as("values applied by %s", member).isEqualTo(reference);
    }
    assertThat(reference).as("acknowledged values").containsAll(acknowledged);
  }

  /**
   * Stops every member; the first failure is thrown, later ones suppressed. An interrupt stops
   * the waiting, not the stopping: the flag is restored and reported as a failure.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (ClusterMember member : members) {
      RuntimeException stopFailure = null;
      try {
        member.stop(false);
        member.awaitStopped();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopFailure = new IllegalStateException("interrupted while stopping " + member, e);
      } catch (RuntimeException e) {
        stopFailure = e;
      }
      if (stopFailure != null && failure == null) {
        failure = stopFailure;
      } else if (stopFailure != null) {
        failure.addSuppressed(stopFailure);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
