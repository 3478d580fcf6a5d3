package dev.wal.engine;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads waiting for an LSN to become durable, kept in LSN order, each spinning for a while
 * ({@link SpinWait}) and then parked on its own, and woken alone: a flush wakes exactly the
 * waiters it covered, and one more to lead the next flush unless the background flusher leads
 * (see {@link IoRoles}).
 * A woken waiter that is covered returns without taking the lock again. (With 64 appenders on 2
 * cores, waking every waiter after every flush, or handing the lock from one woken waiter to the
 * next, costs more than the flush.)
 *
 * <p>Registering and waking require {@link CommitState#lock}; a waker removes the nodes it wakes,
 * so a woken node is never woken again. {@link Node#park} runs without the lock.
 *
 * <p>Design note: waking marks the node under the lock, but the thread is unparked only once the
 * lock is released ({@link CommitState#unlock}), or just before the releasing thread waits on a
 * condition. Unparked under the lock, a woken thread can take the core from the waker (the
 * scheduler favours the thread it just woke) and then find the lock held; with 64 appenders on 2
 * cores, appenders waited over 10 ms for the lock about 60 times a second.
 *
 * <p>Instances are <b>not</b> thread-safe on their own: guarded by {@link CommitState#lock}.
 */
final class Waiters {
  /** One thread's registration; reused by the thread for every wait on this log. */
  static final class Node {
    private final Thread thread = Thread.currentThread();
    private final SpinWait spinWait;
    private long lsn;
    private boolean spins;
    private volatile boolean woken;

    private Node(SpinWait spinWait) {
      this.spinWait = spinWait;
    }

    /**
     * Spins for a while if that pays (see {@link SpinWait}), then parks, without the lock, until
     * woken.
     *
     * @return false if the thread was interrupted first (its flag stays set)
     */
    boolean park() {
      if (spins) {
        spinWait.spin(this);
      }
      while (!woken) {
        LockSupport.park(this);
        if (Thread.currentThread().isInterrupted()) {
          return woken;
        }
      }
      return true;
    }

    /** {@return whether a flush covered this wait, or the log woke it to lead or to fail} */
    boolean isWoken() {
      return woken;
    }
  }

  private final ThreadLocal<Node> own;
  private Node[] nodes = new Node[16];
  private int count;
  /** The threads of woken nodes, still to unpark. */
  private Thread[] toUnpark = new Thread[16];
  private int toUnparkCount;

  /**
   * Creates an empty set of waiters.
   *
   * @param spinWait how they spin before parking
   */
  Waiters(SpinWait spinWait) {
    this.own = ThreadLocal.withInitial(() -> new Node(spinWait));
  }

  /**
   * Registers the current thread as waiting for {@code lsn}; then unlock and park.
   *
   * @param lsn the LSN it waits for
   * @param spin whether it may spin before parking: only while the background flusher leads the
   *     flushes, which then take a disk's time. While appenders lead their own flushes (of
   *     microseconds, on memory or the page cache), a spinning waiter would take the core from
   *     the leader it waits for, and parking costs less than the flush it would wait through.
   * @return the node to park on
   */
  Node register(long lsn, boolean spin) {
    Node node = own.get();
    node.lsn = lsn;
    node.spins = spin;
    node.woken = false;
    if (count == nodes.length) {
      nodes = Arrays.copyOf(nodes, 2 * count);
    }
    int at = count;
    while (at > 0 && nodes[at - 1].lsn > lsn) { // appenders arrive in LSN order: rarely moves
      nodes[at] = nodes[at - 1];
      at--;
    }
    nodes[at] = node;
    count++;
    return node;
  }

  /**
   * Withdraws a node whose thread stopped waiting (interrupted).
   *
   * @return whether it was still registered (not woken)
   */
  boolean withdraw(Node node) {
    for (int i = 0; i < count; i++) {
      if (nodes[i] == node) {
        removeAt(i);
        return true;
      }
    }
    return false;
  }

  private void removeAt(int i) {
    System.arraycopy(nodes, i + 1, nodes, i, count - i - 1);
    nodes[--count] = null;
  }

  private void wake(Node node) {
    node.woken = true;
    if (toUnparkCount == toUnpark.length) {
      toUnpark = Arrays.copyOf(toUnpark, 2 * toUnparkCount);
    }
    toUnpark[toUnparkCount++] = node.thread;
  }

  /**
   * Takes the threads woken since the last call, to unpark once the lock is released.
   *
   * @return them, or null if there are none
   */
  Thread[] takeToUnpark() {
    if (toUnparkCount == 0) {
      return null;
    }
    Thread[] threads = Arrays.copyOf(toUnpark, toUnparkCount);
    Arrays.fill(toUnpark, 0, toUnparkCount, null);
    toUnparkCount = 0;
    return threads;
  }

  /** Unparks {@code threads} (from {@link #takeToUnpark}; null for none). */
  static void unpark(Thread[] threads) {
    if (threads != null) {
      for (Thread thread : threads) {
        LockSupport.unpark(thread);
      }
    }
  }

  /** Unparks the woken threads now, under the lock: before the caller waits on a condition. */
  void unparkNow() {
    unpark(takeToUnpark());
  }

  /** {@return whether any thread waits} */
  boolean any() {
    return count > 0;
  }

  /** {@return how many threads wait} */
  int count() {
    return count;
  }

  /** Wakes every waiter whose LSN is at most {@code durableLsn}. {@return how many it woke} */
  int wakeUpTo(long durableLsn) {
    int covered = 0;
    while (covered < count && nodes[covered].lsn <= durableLsn) {
      wake(nodes[covered++]);
    }
    if (covered > 0) {
      System.arraycopy(nodes, covered, nodes, 0, count - covered);
      Arrays.fill(nodes, count - covered, count, null);
      count -= covered;
    }
    return covered;
  }

  /** Wakes the first waiter, which is not covered after {@link #wakeUpTo}, to lead. */
  void wakeFirst() {
    if (count > 0) {
      wake(nodes[0]);
      removeAt(0);
    }
  }

  /** Wakes every waiter. */
  void wakeAll() {
    for (int i = 0; i < count; i++) {
      wake(nodes[i]);
      nodes[i] = null;
    }
    count = 0;
  }
}
