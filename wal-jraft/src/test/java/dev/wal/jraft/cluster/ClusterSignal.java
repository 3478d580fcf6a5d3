package dev.wal.jraft.cluster;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Wakes the tests when anything in the cluster changes (a value applied, a leader started or
 * stopped, an error), so they wait on conditions, never sleep. Thread-safe.
 */
final class ClusterSignal {
  private final Lock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Wakes every waiter to re-check its condition. */
  void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code condition} holds or {@code timeout} passes. The condition must not wait
   * itself; it is checked under this signal's lock, after every change and at the end.
   *
   * @return whether the condition held
   */
  boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long remainingNs = timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        if (remainingNs <= 0) {
          return false;
        }
        remainingNs = changed.awaitNanos(remainingNs);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
