package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.JRaftServiceFactory;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import dev.wal.engine.WalConfig;
import dev.wal.jraft.WalJRaftServiceFactory;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultRule;
import dev.wal.vfs.faulty.FlushFailureMode;
import dev.wal.vfs.faulty.FaultyVfs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our log on {@code faulty} over {@code memory} storage, one memory name per member and
 * generation: a member restarted on a crash image moves to the image's name. Keeps each member's
 * open {@link FaultyVfs} so a test can crash it or fail its flushes. Thread-safe.
 */
final class FaultyStorage implements StorageSetup {
  private static final WalConfig CONFIG =
      WalConfig.builder().segmentBytes(1 << 20).bufferBytes(256 << 10).maxRecordBytes(512 << 10).build();

  private final String run;
  private final long seed;
  private final Map<String, Integer> generations = new ConcurrentHashMap<>();
  private final Map<String, FaultyVfs> open = new ConcurrentHashMap<>();
  private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
  private final Map<String, FaultRule> onNextOpen = new ConcurrentHashMap<>();

  /**
   * @param run a name no other test uses, so the memory storage starts empty
   * @param seed the seed of every member's faults
   */
  FaultyStorage(String run, long seed) {
    this.run = run;
    this.seed = seed;
  }

  @Override
  public JRaftServiceFactory serviceFactory() {
    WalJRaftServiceFactory wal = new WalJRaftServiceFactory(CONFIG, uri -> {
      FaultConfig faults = FaultConfig.builder().seed(seed ^ uri.hashCode()).flushFailureMode(FlushFailureMode.LINUX).build();
      FaultyVfs vfs = FaultyVfs.wrap(Vfs.open(uri), faults);
      FaultRule pending = onNextOpen.remove(member(uri));
      if (pending != null) {
        vfs.addRule(pending);
      }
      open.put(uri, vfs);
      return vfs;
    });
    return new DefaultJRaftServiceFactory() {
      @Override
      public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
        return new RecordingLogStorage(wal.createLogStorage(uri, raftOptions), calls.computeIfAbsent(member(uri), name -> new CopyOnWriteArrayList<>()));
      }
    };
  }

  private String member(String uri) {
    String name = uri.substring(uri.indexOf(run) + run.length() + 1);
    return name.substring(0, name.lastIndexOf("-g"));
  }

  /** {@return the truncations and resets SOFAJRaft asked of the member's storage, in order} */
  List<String> calls(ClusterMember member) {
    return List.copyOf(calls.getOrDefault(member.name(), List.of()));
  }

  @Override
  public String logUri(Path memberDir, String memberName) {
    return uri(memberName, generations.getOrDefault(memberName, 0));
  }

  private String uri(String memberName, int generation) {
    return "memory:" + run + "-" + memberName + "-g" + generation;
  }

  /** Adds {@code rule} to the member's storage when its log opens next, as it restarts. */
  void failOnNextOpen(ClusterMember member, FaultRule rule) {
    onNextOpen.put(member.name(), rule);
  }

  /** {@return the storage the member's log is open on now} */
  FaultyVfs vfs(ClusterMember member) {
    FaultyVfs vfs = open.get(logUri(null, member.name()));
    if (vfs == null) {
      throw new IllegalStateException(member + " has not opened its log");
    }
    return vfs;
  }

  /**
   * Moves the member to its next generation, to be restarted on a crash image.
   *
   * @return the spec the image must be written to
   */
  String nextGeneration(ClusterMember member) {
    int next = generations.merge(member.name(), 1, Integer::sum);
    return uri(member.name(), next);
  }

  @Override
  public String toString() {
    return "WalLogStorage on faulty:memory:, " + CONFIG;
  }
}
