package dev.wal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SpinWaitTest {
  private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(30);

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWaiterWokenWhileItSpinsReturnsWithoutBeingUnparked() throws Exception {
    SpinWait spinWait = new SpinWait(TimeUnit.SECONDS.toNanos(30));
    Waiters waiters = new Waiters(spinWait);
    Waiters.Node node = waiters.register(1, true);
    Thread waker = new Thread(() -> {
      waiters.wakeUpTo(1);
      waiters.takeToUnpark(); // taken and never unparked: only a spin sees this wake
    });
    waker.start();
    assertThat(node.park()).isTrue();
    waker.join(JOIN_MILLIS);
    assertThat(spinWait.spinning()).isTrue();
  }

  @Test
  void onlyWaitersRegisteredToSpinSpin() throws Exception {
    // Each wait is woken 5 ms in, after a 1 ms spin would have run out: spinning waiters would
    // soon make spinning stop paying.
    SpinWait spinWait = new SpinWait(Duration.ofMillis(1).toNanos());
    for (int i = 0; i < 20; i++) {
      waitWokenAfterFiveMillis(spinWait, false);
    }
    assertThat(spinWait.spinning()).as("still spinning: none of the 20 waiters spun").isTrue();
    for (int i = 0; i < 20; i++) {
      waitWokenAfterFiveMillis(spinWait, true);
    }
    assertThat(spinWait.spinning()).as("20 spins that ran out").isFalse();
  }

  private static void waitWokenAfterFiveMillis(SpinWait spinWait, boolean spin) throws Exception {
    Waiters waiters = new Waiters(spinWait);
    Waiters.Node node = waiters.register(1, spin);
    Thread waker = wakeAfter(waiters, 5);
    assertThat(node.park()).isTrue();
    waker.join(JOIN_MILLIS);
  }

  /** Starts a thread that wakes and unparks the waiter of LSN 1 after {@code millis}. */
  private static Thread wakeAfter(Waiters waiters, long millis) {
    Thread waker = new Thread(() -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      waiters.wakeUpTo(1);
      Waiters.unpark(waiters.takeToUnpark());
    });
    waker.start();
    return waker;
  }

  @Test
  void waitersStopSpinningWhileSpinsRunOutAndEverySixteenthProbes() {
    SpinWait spinWait = new SpinWait(Duration.ofMillis(1).toNanos());
    Waiters.Node node = new Waiters(spinWait).register(1, true); // never woken: every spin runs out
    int spins = 0;
    while (spinWait.spinning()) {
      assertThat(spinWait.spin(node)).isTrue();
      spins++;
      assertThat(spins).as("spins before spinning stops").isLessThan(100);
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 15; i++) {
        assertThat(spinWait.spin(node)).as("waiter %d parks at once", i).isFalse();
      }
      assertThat(spinWait.spin(node)).as("the 16th probes").isTrue();
      assertThat(spinWait.spinning()).isFalse();
    }
  }

  @Test
  void probesThatEndWokenMakeWaitersSpinAgain() throws Exception {
    SpinWait spinWait = new SpinWait(Duration.ofMillis(50).toNanos());
    Waiters.Node unwoken = new Waiters(spinWait).register(1, true);
    while (spinWait.spinning()) {
      spinWait.spin(unwoken);
    }
    int waits = 0;
    while (!spinWait.spinning()) {
      Waiters waiters = new Waiters(spinWait);
      Waiters.Node node = waiters.register(1, true);
      Thread waker = wakeAfter(waiters, 1); // within a probe's 50 ms
      spinWait.spin(node);
      waker.join(JOIN_MILLIS);
      waits++;
      assertThat(waits).as("waits before spinning resumes").isLessThan(16 * 10);
    }
  }

  @Test
  void aZeroSpinNeverSpins() {
    SpinWait spinWait = new SpinWait(0);
    Waiters.Node node = new Waiters(spinWait).register(1, true);
    assertThat(spinWait.spinning()).isFalse();
    assertThat(spinWait.spin(node)).isFalse();
  }
}
