package dev.wal.jraft.cluster;

import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One server of the test cluster: a Raft node, its RPC server bound to 127.0.0.1 alone, and its
 * state machine. It can be stopped and started again on the same port and directory, which is
 * how a test kills and restarts it. Not thread-safe: the test thread drives it.
 */
final class ClusterMember {
  /** Where every server listens: the stock RPC server would listen on every address. */
  static final String LOOPBACK = "127.0.0.1";
  static final String GROUP = "wal-jraft-test";

  private final String name;
  private final Path dir;
  private final StorageSetup storage;
  private final ClusterSignal signal;
  private final int electionTimeoutMs;

  private int port;
  private com.alipay.remoting.rpc.RpcServer boltServer;
  private RpcServer rpcServer;
  private CompletableFuture<Void> serverStopped;
  private RaftGroupService service;
  private Node node;
  private SequenceStateMachine stateMachine;

  ClusterMember(String name, Path dir, StorageSetup storage, ClusterSignal signal, int electionTimeoutMs) {
    this.name = name;
    this.dir = dir;
    this.storage = storage;
    this.signal = signal;
    this.electionTimeoutMs = electionTimeoutMs;
  }

  /**
   * Starts the RPC server on 127.0.0.1: on a free port the first time, on the same port after.
   *
   * @throws IllegalStateException if it cannot bind or is not on loopback alone
   */
  void bind() {
    awaitStopped();
    com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(LOOPBACK, port, true);
    BoltRpcServer server = new BoltRpcServer(bolt);
    RaftRpcServerFactory.addRaftRequestProcessors(server);
    if (!server.init(null)) {
      throw new IllegalStateException(name + ": cannot bind its RPC server to " + LOOPBACK + ":" + port);
    }
    boltServer = bolt;
    rpcServer = server;
    port = server.boundPort();
    checkListensOnLoopbackOnly();
  }

  private void checkListensOnLoopbackOnly() {
    if (!LoopbackSockets.available()) {
      return; // no socket table to read on this system; ClusterTest says so by an assumption
    }
    try {
      List<InetAddress> addresses = LoopbackSockets.listeningAddresses(port);
      if (addresses.isEmpty() || !addresses.stream().allMatch(InetAddress::isLoopbackAddress)) {
        throw new IllegalStateException(name + ": port " + port + " listens on " + addresses + ", not loopback alone");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the Raft node over the member's directory; {@link #bind()} must have run. */
  void startNode(Configuration initialConf) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stateMachine = new SequenceStateMachine(signal);
    NodeOptions options = new NodeOptions();
    options.setElectionTimeoutMs(electionTimeoutMs);
    options.setInitialConf(initialConf.copy());
    options.setFsm(stateMachine);
    options.setServiceFactory(storage.serviceFactory());
    options.setLogUri(storage.logUri(dir, name));
    options.setRaftMetaUri(dir.resolve("meta").toString());
    options.setSnapshotUri(dir.resolve("snapshot").toString());
    service = new RaftGroupService(GROUP, peerId(), options, rpcServer, true);
    node = service.start(false);
  }

  /**
   * Stops the node and waits for it, then stops the RPC server. Does nothing if it is not running.
   *
   * @param forRestart whether the port must be free again for a restart. Bolt closes its
   *     listening socket in the background unless told to stop synchronously, which waits out its
   *     event loop's quiet period (about two seconds); so the RPC server then stops on a thread of
   *     its own, and {@link #bind()} waits for it
   */
  void stop(boolean forRestart) throws InterruptedException {
    if (service != null) {
      service.shutdown();
      service.join();
      service = null;
      node = null;
    }
    if (rpcServer != null) {
      RpcServer server = rpcServer;
      rpcServer = null;
      boltServer.option(BoltServerOption.SERVER_SYNC_STOP, forRestart);
      boltServer = null;
      if (forRestart) {
        serverStopped = CompletableFuture.runAsync(server::shutdown, runnable -> new Thread(runnable, name + "-rpc-stop").start());
      } else {
        server.shutdown();
      }
    }
    signal.signal();
  }

  /** Waits until an RPC server stopping for a restart has stopped. */
  void awaitStopped() {
    if (serverStopped == null) {
      return;
    }
    try {
      serverStopped.get(RaftCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while its RPC server stopped", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(name + ": its RPC server did not stop", e);
    }
    serverStopped = null;
  }

  /** {@return the member's name} */
  String name() {
    return name;
  }

  /** {@return the member's address; its port is known once it has bound} */
  PeerId peerId() {
    return new PeerId(LOOPBACK, port);
  }

  /** {@return the port the RPC server listens on} */
  int port() {
    return port;
  }

  /** {@return whether the node is running} */
  boolean isRunning() {
    return node != null;
  }

  /** {@return the running node} */
  Node node() {
    if (node == null) {
      throw new IllegalStateException(name + " is not running");
    }
    return node;
  }

  /** {@return the state machine of the current or last run} */
  SequenceStateMachine stateMachine() {
    return stateMachine;
  }

  /** {@return whether this member is a leader that can take writes now} */
  boolean isLeading() {
    Node current = node;
    return current != null && current.isLeader() && stateMachine.isLeading();
  }

  @Override
  public String toString() {
    return name + "@" + LOOPBACK + ":" + port;
  }
}
