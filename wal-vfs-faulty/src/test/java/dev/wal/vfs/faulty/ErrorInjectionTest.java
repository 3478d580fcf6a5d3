package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.read;
import static dev.wal.vfs.faulty.Files.readAll;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wal.vfs.FlushFailedException;
import dev.wal.vfs.OutOfSpaceException;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorInjectionTest {

  private static FaultyVfs faulty(FaultRule rule) throws IOException {
    return Files.faulty(FaultConfig.builder().rule(rule).build());
  }

  @Test
  void theNthWriteFailsAndTheNextSucceeds() throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(OpKind.WRITE).onCall(3));
        VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(1, 'a'));
      write(file, 1, filled(1, 'b'));
      assertThatThrownBy(() -> write(file, 2, filled(1, 'c')))
          .isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("WRITE");
      write(file, 2, filled(1, 'd'));
      assertThat(new String(read(file, 0, 3))).isEqualTo("abd");
    }
  }

  @Test
  void aPersistentRuleFailsEveryMatchingCallFromItsFirstFiring() throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(OpKind.READ).onCall(2).persistent());
        VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(4, 'a'));
      read(file, 0, 1);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> read(file, 0, 1)).isInstanceOf(InjectedIOException.class);
      }
      write(file, 0, filled(1, 'b'));
    }
  }

  @Test
  void aRuleAfterTheOperationAppliesItAndStillThrows() throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(OpKind.RENAME).afterOperation())) {
      vfs.open("a", Vfs.OpenMode.CREATE_NEW).close();
      assertThatThrownBy(() -> vfs.rename("a", "b")).isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("took effect");
      assertThat(vfs.list()).containsExactly("b");
    }
  }

  @Test
  void aFileGlobOrRegexLimitsARuleToMatchingNames() throws IOException {
    FaultConfig config = FaultConfig.builder()
        .rule(FaultRule.failOn(OpKind.OPEN).files("*.seg").persistent())
        .rule(FaultRule.failOn(OpKind.DELETE).filesMatching(Pattern.compile("lock\\d+"))
            .persistent())
        .build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      vfs.open("meta", Vfs.OpenMode.CREATE_NEW).close();
      vfs.open("lockx", Vfs.OpenMode.CREATE_NEW).close();
      vfs.open("lock1", Vfs.OpenMode.CREATE_NEW).close();
      assertThatThrownBy(() -> vfs.open("1.seg", Vfs.OpenMode.CREATE_NEW))
          .isInstanceOf(InjectedIOException.class);
      vfs.delete("lockx");
      assertThatThrownBy(() -> vfs.delete("lock1")).isInstanceOf(InjectedIOException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = OpKind.class, names = "MARK", mode = EnumSource.Mode.EXCLUDE)
  void everyOperationKindCanBeFailed(OpKind kind) throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(kind).persistent())) {
      Throwable failure = catchThrowable(() -> {
        try (VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
          write(file, 0, filled(10, 'a'));
          read(file, 0, 5);
          file.size();
          file.truncate(5);
          file.flush();
        }
        vfs.list();
        vfs.exists("f");
        vfs.syncDirectory();
        vfs.lock("lock").close();
        vfs.rename("f", "g");
        vfs.delete("g");
      });
      assertThat(InjectedFault.isInjected(failure)).as("%s", failure).isTrue();
      assertThat(vfs.trace()).anyMatch(e -> e.kind() == kind && e.injected());
    }
  }

  @Test
  void injectedExceptionsAreRecognisableAndCarryTheirTraceIndex() throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(OpKind.FLUSH));
        VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      IOException failure = (IOException) catchThrowable(file::flush);
      assertThat(failure).isInstanceOf(InjectedFault.class);
      long index = ((InjectedFault) failure).traceIndex();
      assertThat(vfs.trace()).anyMatch(e -> e.index() == index && e.kind() == OpKind.FLUSH
          && e.injected());
      Throwable poisoned = catchThrowable(file::flush);
      assertThat(poisoned).isInstanceOf(FlushFailedException.class);
      assertThat(InjectedFault.isInjected(poisoned)).isTrue();
      assertThat(InjectedFault.isInjected(new IOException("real"))).isFalse();
    }
  }

  @Test
  void probabilisticFaultsRepeatForTheSameSeed() throws IOException {
    assertThat(failingWrites(11)).isEqualTo(failingWrites(11)).isNotEmpty();
    assertThat(failingWrites(11)).isNotEqualTo(failingWrites(12));
  }

  private static List<Integer> failingWrites(long seed) throws IOException {
    FaultConfig config = FaultConfig.builder().seed(seed)
        .rule(FaultRule.failOn(OpKind.WRITE).withProbability(0.2).persistent().once())
        .build();
    List<Integer> failed = new ArrayList<>();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      for (int i = 0; i < 100; i++) {
        try {
          write(file, i, filled(1, 'x'));
        } catch (InjectedIOException e) {
          failed.add(i);
        }
      }
    }
    return failed;
  }

  @Test
  void aQuotaGivesOutOfSpaceAfterWritingWhatFits() throws IOException {
    FaultConfig config = FaultConfig.builder().quota(1000, true).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(900, 'a'));
      assertThatThrownBy(() -> write(file, 900, filled(200, 'b')))
          .isInstanceOf(OutOfSpaceException.class)
          .isInstanceOf(InjectedFault.class)
          .hasMessageContaining("wrote 100 of 200 bytes");
      assertThat(file.size()).isEqualTo(1000);
      write(file, 0, filled(1000, 'c'));
    }
  }

  @Test
  void anAllOrNothingQuotaWritesNothingOfAWriteThatDoesNotFit() throws IOException {
    FaultConfig config = FaultConfig.builder().quota(1000, false).build();
    try (FaultyVfs vfs = Files.faulty(config); VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      write(file, 0, filled(900, 'a'));
      assertThatThrownBy(() -> write(file, 900, filled(200, 'b')))
          .isInstanceOf(InjectedOutOfSpaceException.class)
          .hasMessageContaining("wrote 0 of 200 bytes");
      assertThat(file.size()).isEqualTo(900);
      file.truncate(0);
      write(file, 0, filled(1000, 'c'));
    }
  }

  @Test
  void anOutOfSpaceRuleThrowsOutOfSpaceException() throws IOException {
    try (FaultyVfs vfs = faulty(FaultRule.failOn(OpKind.FLUSH).outOfSpace());
        VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE)) {
      assertThatThrownBy(file::flush).isInstanceOf(InjectedOutOfSpaceException.class);
    }
  }

  @Test
  void retrySucceedsModeMakesTheDataDurableOnTheNextFlushOfANewHandle() throws IOException {
    FaultConfig config = FaultConfig.builder().flushFailureMode(FlushFailureMode.RETRY_SUCCEEDS)
        .rule(FaultRule.failOn(OpKind.FLUSH).onCall(2)).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      Files.durableFile(vfs, "f", new byte[0]);
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        write(file, 0, filled(10, 'a'));
        assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class);
      }
      assertThat(readAll(noUnflushed(vfs), "f")).as("still dirty before the retry").isEmpty();
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        file.flush();
      }
      assertThat(readAll(noUnflushed(vfs), "f")).isEqualTo(filled(10, 'a'));
    }
  }

  @Test
  void linuxModeKeepsDataOfAFailedFlushReadableUntilACrashThenLosesIt() throws IOException {
    FaultConfig config = FaultConfig.builder().flushFailureMode(FlushFailureMode.LINUX)
        .rule(FaultRule.failOn(OpKind.FLUSH).onCall(2)).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      Files.durableFile(vfs, "f", filled(10, 'a'));
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        write(file, 5, filled(10, 'b'));
        assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class);
        assertThat(new String(read(file, 0, 15))).isEqualTo("aaaaabbbbbbbbbb");
      }
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        file.flush(); // reports success, as Linux does
        assertThat(new String(read(file, 0, 15))).isEqualTo("aaaaabbbbbbbbbb");
      }
      byte[] image = readAll(noUnflushed(vfs), "f");
      assertThat(new String(image, 0, 10)).isEqualTo("aaaaaaaaaa");
      assertThat(image).doesNotContain((byte) 'b');
    }
  }

  @Test
  void linuxModeLetsARewriteOfTheLostBytesBecomeDurable() throws IOException {
    FaultConfig config = FaultConfig.builder().rule(FaultRule.failOn(OpKind.FLUSH).onCall(2))
        .build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      Files.durableFile(vfs, "f", filled(10, 'a'));
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        write(file, 0, filled(4, 'b'));
        assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class);
      }
      try (VfsFile file = vfs.open("f", Vfs.OpenMode.EXISTING)) {
        write(file, 2, filled(2, 'c'));
        file.flush();
      }
      assertThat(new String(readAll(noUnflushed(vfs), "f"))).isEqualTo("aaccaaaaaa");
    }
  }

  @Test
  void failStopModeFailsEveryLaterCall() throws IOException {
    FaultConfig config = FaultConfig.builder().flushFailureMode(FlushFailureMode.FAIL_STOP)
        .rule(FaultRule.failOn(OpKind.FLUSH)).build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE);
      assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class);
      assertThat(vfs.isHalted()).isTrue();
      assertThatThrownBy(vfs::list).isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("halted");
      assertThatThrownBy(() -> file.read(0, ByteBuffer.allocate(1)))
          .isInstanceOf(InjectedIOException.class);
      assertThatThrownBy(() -> vfs.open("g", Vfs.OpenMode.CREATE))
          .isInstanceOf(InjectedIOException.class);
    }
  }

  @Test
  void aCrashPointTakesTheImageRightAfterItsOperationAndHaltsTheStorage() throws IOException {
    try (FaultyVfs vfs = Files.faulty(); Vfs target = Files.freshStorage()) {
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE); // operation 1
      CrashPoint point = vfs.crashAfter(3, CrashOptions.processCrash(), target);
      write(file, 0, filled(1, 'a')); // 2
      write(file, 1, filled(1, 'b')); // 3
      assertThatThrownBy(() -> write(file, 2, filled(1, 'c')))
          .isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("crashed after operation #3");
      FaultyVfs image = point.image().orElseThrow();
      assertThat(new String(readAll(image, "f"))).isEqualTo("ab");
      image.close();
    }
  }

  private static FaultyVfs noUnflushed(FaultyVfs vfs) throws IOException {
    CrashOptions options = CrashOptions.powerLoss()
        .unflushed(CrashOptions.Unflushed.NONE, 0)
        .directoryChanges(CrashOptions.DirectoryChanges.KEEP);
    return vfs.crash(options, Files.freshStorage());
  }
}
