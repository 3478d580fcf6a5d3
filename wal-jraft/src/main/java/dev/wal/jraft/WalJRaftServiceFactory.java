package dev.wal.jraft;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
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
  /**
   * Opens the storage of a node's log from its log URI. The storage's {@code init} calls it and
   * its {@code shutdown} closes what it returned.
   */
  @FunctionalInterface
  public interface VfsOpener {
    /**
     * Opens the storage a log URI names.
     *
     * @param uri the node's log URI, a Vfs spec
     * @return the opened storage, now owned by the node's log storage
     * @throws IOException if it cannot be opened
     */
    Vfs open(String uri) throws IOException;
  }

  private final WalConfig config;
  private final VfsOpener opener;

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
    this(config, Vfs::open);
  }

  /**
   * A factory whose logs use {@code config} on storage {@code opener} opens: a test keeps the
   * {@code FaultyVfs} of each node this way, to crash it or fail its flushes.
   *
   * @param config the configuration of every log this factory creates
   * @param opener opens each node's storage from its log URI
   */
  public WalJRaftServiceFactory(WalConfig config, VfsOpener opener) {
    this.config = Objects.requireNonNull(config, "config");
    this.opener = Objects.requireNonNull(opener, "opener");
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
    return new WalLogStorage(uri, config, opener);
  }

  @Override
  public String toString() {
    return "WalJRaftServiceFactory[" + config + "]";
  }
}
