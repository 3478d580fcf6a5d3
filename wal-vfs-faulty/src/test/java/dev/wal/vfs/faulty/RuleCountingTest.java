package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rule limited to a file pattern counts only the calls on matching files, by the name the file
 * has when called.
 */
class RuleCountingTest {

  @Test
  void aPatternRuleFailsTheNthMatchingCallOnceAndIgnoresOtherFiles() throws IOException {
    FaultConfig config = FaultConfig.builder()
        .rule(FaultRule.failOn(OpKind.FLUSH).files("*.seg").onCall(2))
        .build();
    try (FaultyVfs vfs = Files.faulty(config)) {
      List<String> failed = new ArrayList<>();
      String[] flushes = {"meta", "a.seg", "meta", "meta", "b.seg", "a.seg", "b.seg", "meta"};
      for (int i = 0; i < flushes.length; i++) {
        // A fresh handle per flush: a failed flush poisons its handle, not the file.
        try (VfsFile file = vfs.open(flushes[i], Vfs.OpenMode.CREATE)) {
          write(file, 0, filled(1, 'x'));
          file.flush();
        } catch (InjectedIOException e) {
          failed.add(i + ":" + flushes[i]);
        }
      }
      assertThat(failed).containsExactly("4:b.seg");
    }
  }

  @Test
  void aPersistentPatternRuleFailsEveryMatchingCallFromTheNthOnAndNoOthers() throws IOException {
    FaultConfig config = FaultConfig.builder()
        .rule(FaultRule.failOn(OpKind.WRITE).files("*.seg").onCall(2).persistent())
        .build();
    try (FaultyVfs vfs = Files.faulty(config);
        VfsFile seg = vfs.open("a.seg", Vfs.OpenMode.CREATE);
        VfsFile meta = vfs.open("meta", Vfs.OpenMode.CREATE)) {
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        VfsFile file = i % 2 == 0 ? meta : seg;
        try {
          write(file, i, filled(1, 'x'));
        } catch (InjectedIOException e) {
          failed.add(i + ":" + file.name());
        }
      }
      assertThat(failed).containsExactly("3:a.seg", "5:a.seg");
    }
  }

  @Test
  void aFileRenamedWhileOpenIsMatchedAndTracedUnderItsNewName() throws IOException {
    FaultConfig config = FaultConfig.builder()
        .rule(FaultRule.failOn(OpKind.FLUSH).files("*.seg"))
        .build();
    try (FaultyVfs vfs = Files.faulty(config);
        VfsFile file = vfs.open("spare.tmp", Vfs.OpenMode.CREATE_NEW)) {
      write(file, 0, filled(1, 'x'));
      file.flush();
      vfs.rename("spare.tmp", "1.seg");
      write(file, 1, filled(1, 'y'));
      assertThatThrownBy(file::flush).isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("'1.seg'");
      assertThat(vfs.trace()).filteredOn(e -> e.kind() == OpKind.WRITE)
          .extracting(TraceEvent::file).containsExactly("spare.tmp", "1.seg");
    }
  }
}
