package dev.wal.jraft.cluster;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The replicated state machine of the cluster tests: the sequence of 64-bit values it has
 * applied, in log order, duplicates kept. Two members agree when their sequences are equal at the
 * same applied index. Its snapshot is that sequence in one file.
 *
 * <p>Thread-safe: SOFAJRaft calls it from its FSM thread, tests read and wait from theirs.
 */
final class SequenceStateMachine extends StateMachineAdapter {
  private static final String SNAPSHOT_FILE = "values";

  private final Lock lock = new ReentrantLock();
  private final ClusterSignal signal;

  // @GuardedBy("lock")
  private final List<Long> values = new ArrayList<>();
  // @GuardedBy("lock")
  private long appliedIndex;
  // @GuardedBy("lock")
  private long leaderTerm = -1;
  // @GuardedBy("lock")
  private RaftException error;
  // @GuardedBy("lock")
  private int snapshotsLoaded;

  SequenceStateMachine(ClusterSignal signal) {
    this.signal = signal;
  }

  /** Encodes a value as a task's payload. */
  static ByteBuffer encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(0, value);
  }

  @Override
  public void onApply(Iterator iterator) {
    while (iterator.hasNext()) {
      long value = iterator.getData().getLong(iterator.getData().position());
      lock.lock();
      try {
        values.add(value);
        appliedIndex = iterator.getIndex();
      } finally {
        lock.unlock();
      }
      signal.signal();
      Closure done = iterator.done();
      if (done != null) {
        done.run(Status.OK());
      }
      iterator.next();
    }
  }

  @Override
  public void onSnapshotSave(SnapshotWriter writer, Closure done) {
    List<Long> copy = values();
    Path file = Path.of(writer.getPath(), SNAPSHOT_FILE);
    try (OutputStream out = Files.newOutputStream(file);
        DataOutputStream data = new DataOutputStream(out)) {
      data.writeInt(copy.size());
      for (long value : copy) {
        data.writeLong(value);
      }
    } catch (IOException e) {
      done.run(new Status(RaftError.EIO, "cannot write snapshot %s: %s", file, e));
      return;
    }
    done.run(writer.addFile(SNAPSHOT_FILE) ? Status.OK() : new Status(RaftError.EIO, "cannot add %s", file));
  }

  @Override
  public boolean onSnapshotLoad(SnapshotReader reader) {
    Path file = Path.of(reader.getPath(), SNAPSHOT_FILE);
    List<Long> loaded = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(in)) {
      int count = data.readInt();
      for (int i = 0; i < count; i++) {
        loaded.add(data.readLong());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read snapshot " + file, e);
    }
    lock.lock();
    try {
      values.clear();
      values.addAll(loaded);
      appliedIndex = reader.load().getLastIncludedIndex();
      snapshotsLoaded++;
    } finally {
      lock.unlock();
    }
    signal.signal();
    return true;
  }

  @Override
  public void onLeaderStart(long term) {
    lock.lock();
    try {
      leaderTerm = term;
    } finally {
      lock.unlock();
    }
    signal.signal();
  }

  @Override
  public void onLeaderStop(Status status) {
    lock.lock();
    try {
      leaderTerm = -1;
    } finally {
      lock.unlock();
    }
    signal.signal();
  }

  @Override
  public void onError(RaftException e) {
    lock.lock();
    try {
      error = e;
    } finally {
      lock.unlock();
    }
    signal.signal();
  }

  /** {@return a copy of the values applied so far, in log order} */
  List<Long> values() {
    lock.lock();
    try {
      return new ArrayList<>(values);
    } finally {
      lock.unlock();
    }
  }

  /** {@return the log index of the last value applied, 0 before any} */
  long appliedIndex() {
    lock.lock();
    try {
      return appliedIndex;
    } finally {
      lock.unlock();
    }
  }

  /** {@return whether this member leads and its state machine has caught up with its term} */
  boolean isLeading() {
    lock.lock();
    try {
      return leaderTerm >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** {@return how many snapshots this state machine loaded} */
  int snapshotsLoaded() {
    lock.lock();
    try {
      return snapshotsLoaded;
    } finally {
      lock.unlock();
    }
  }

  /** {@return the error SOFAJRaft reported to this state machine, or null} */
  RaftException error() {
    lock.lock();
    try {
      return error;
    } finally {
      lock.unlock();
    }
  }
}
