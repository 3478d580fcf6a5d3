package dev.wal.jraft;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
import dev.wal.vfs.VfsSpec;
import java.util.Objects;

/**
 * A SOFAJRaft service factory whose nodes keep their Raft log in our write-ahead log; everything
 * else (snapshots, Raft metadata, the entry codec) is SOFAJRaft's default.
 *
 * <p>The node's log URI is a Vfs spec, so a node runs on any storage a provider offers:
 *
 * <pre>{@code
 * NodeOptions options = new NodeOptions();
 * options.setServiceFactory(new WalJRaftServiceFactory());
 * options.setLogUri("local:/var/lib/app/raft-log");   // or memory:name, faulty:memory:name?seed=1
 * }</pre>
 *
 * <p>Every append is durable when SOFAJRaft's {@code appendEntries} returns, whatever {@link
 * RaftOptions#isSync()} says: the log's readers see only durable records, and the log manager
 * reads back what it appended. Instances are immutable and thread-safe.
 */
public final class WalJRaftServiceFactory extends DefaultJRaftServiceFactory {
  private final WalConfig config;

  /** A factory whose logs use the default {@link WalConfig}. */
  public WalJRaftServiceFactory() {
    this(WalConfig.defaults());
  }

  /**
   * A factory whose logs use {@code config}.
   *
   * @param config the configuration of every log this factory creates
   */
  public WalJRaftServiceFactory(WalConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Creates the log storage of one node.
   *
   * @param uri a Vfs spec such as {@code local:/var/lib/app/raft-log}; see {@link VfsSpec}
   * @param raftOptions the node's options (its {@code sync} flag is not needed: see above)
   * @return the storage; SOFAJRaft opens it with {@code init} and closes it with {@code shutdown}
   * @throws IllegalArgumentException if {@code uri} is not a Vfs spec
   */
  @Override
  public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
    Objects.requireNonNull(uri, "uri");
    try {
      VfsSpec.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the log URI '" + uri + "' is not a Vfs spec such as local:/var/lib/app/raft-log", e);
    }
    return new WalLogStorage(uri, config);
  }

  @Override
  public String toString() {
    return "WalJRaftServiceFactory[" + config + "]";
  }
}
