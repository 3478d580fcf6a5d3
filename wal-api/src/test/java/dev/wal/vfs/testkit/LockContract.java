package dev.wal.vfs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.LockHeldException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@link Vfs#lock(String)}: exclusive, failing fast, released by close. */
interface LockContract extends VfsFixture {

  @Test
  default void lockReturnsAHeldLockOfThatName() throws IOException {
    try (VfsLock lock = vfs().lock("LOCK")) {
      assertThat(lock.name()).isEqualTo("LOCK");
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  default void aHeldLockFailsFastThroughTheSameVfsNamingTheLock() throws IOException {
    try (VfsLock lock = vfs().lock("LOCK")) {
      assertThatThrownBy(() -> vfs().lock("LOCK"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("LOCK");
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  default void aHeldLockFailsFastThroughASecondVfsOnTheSameStorage() throws IOException {
    Vfs second = openSecondVfs();
    try (VfsLock lock = vfs().lock("LOCK")) {
      assertThatThrownBy(() -> second.lock("LOCK"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("LOCK");
      assertThat(lock.isHeld()).isTrue();
    }
    try (VfsLock lock = second.lock("LOCK")) {
      assertThatThrownBy(() -> vfs().lock("LOCK")).isInstanceOf(LockHeldException.class);
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  default void aReleasedLockCanBeTakenAgain() throws IOException {
    VfsLock lock = vfs().lock("LOCK");
    lock.close();
    assertThat(lock.isHeld()).isFalse();
    try (VfsLock again = vfs().lock("LOCK")) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  default void closingALockTwiceDoesNothing() throws IOException {
    VfsLock lock = vfs().lock("LOCK");
    lock.close();
    try (VfsLock again = vfs().lock("LOCK")) {
      lock.close();
      assertThat(again.isHeld()).isTrue();
      assertThatThrownBy(() -> vfs().lock("LOCK")).isInstanceOf(LockHeldException.class);
    }
  }

  @Test
  default void locksOfDifferentNamesDoNotExcludeEachOther() throws IOException {
    try (VfsLock first = vfs().lock("LOCK-1");
        VfsLock second = vfs().lock("LOCK-2")) {
      assertThat(first.isHeld()).isTrue();
      assertThat(second.isHeld()).isTrue();
    }
  }

  @Test
  default void closingTheVfsReleasesItsLocks() throws IOException {
    Vfs second = openSecondVfs();
    VfsLock lock = second.lock("LOCK");
    second.close();
    assertThat(lock.isHeld()).isFalse();
    try (VfsLock again = vfs().lock("LOCK")) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  default void aLockHeldByAnotherProcessFailsFastHereAndTheReverse() throws Exception {
    Assumptions.assumeTrue(
        vfs().capabilities().interProcessLock(),
        "interProcessLock is not claimed: locks need not exclude other processes");
    String spec = specForOtherProcess(vfs());
    try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, "hold", spec, "LOCK")) {
      assertThat(holder.readLine()).isEqualTo(LockHolderMain.LOCKED);
      assertThatThrownBy(() -> vfs().lock("LOCK"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("LOCK");
    }
    try (VfsLock lock = vfs().lock("LOCK");
        ChildJvm trier = ChildJvm.start(LockHolderMain.class, "try", spec, "LOCK")) {
      assertThat(lock.isHeld()).isTrue();
      assertThat(trier.readLine()).isEqualTo(LockHolderMain.HELD);
    }
  }
}
