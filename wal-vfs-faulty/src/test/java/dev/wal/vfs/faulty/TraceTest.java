package dev.wal.vfs.faulty;

import static dev.wal.vfs.faulty.Files.filled;
import static dev.wal.vfs.faulty.Files.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

  @Test
  void theTraceRecordsEveryOperationWithIndexThreadFileOffsetLengthAndOutcome()
      throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      VfsFile file = vfs.open("f", Vfs.OpenMode.CREATE);
      write(file, 7, filled(3, 'x'));
      try {
        vfs.delete("missing");
      } catch (NoSuchFileException expected) {
        // recorded as an error
      }
      List<TraceEvent> trace = vfs.trace();
      assertThat(trace).extracting(TraceEvent::index).containsExactly(1L, 2L, 3L);
      TraceEvent write = trace.get(1);
      assertThat(write.kind()).isEqualTo(OpKind.WRITE);
      assertThat(write.file()).isEqualTo("f");
      assertThat(write.offset()).isEqualTo(7);
      assertThat(write.length()).isEqualTo(3);
      assertThat(write.outcome()).isEqualTo("ok");
      assertThat(write.thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(trace.get(2).outcome()).startsWith("error:").contains("missing");
      assertThat(vfs.printTrace()).contains("#2 WRITE f @7 len=3").contains("#3 DELETE missing");
    }
  }

  @Test
  void theTraceKeepsOnlyTheLatestEventsUpToItsCapacity() throws IOException {
    try (FaultyVfs vfs = Files.faulty(FaultConfig.builder().traceCapacity(5).build())) {
      for (int i = 0; i < 20; i++) {
        vfs.exists("f");
      }
      assertThat(vfs.trace()).extracting(TraceEvent::index).containsExactly(16L, 17L, 18L, 19L,
          20L);
      assertThat(vfs.printTrace()).startsWith("... 15 earlier events dropped");
      assertThat(vfs.operationCount()).isEqualTo(20);
    }
  }

  @Test
  void marksAndTheHandlerLetATestTellWhatHappenedBeforeACrashPoint() throws IOException {
    try (FaultyVfs vfs = Files.faulty()) {
      List<String> seen = new ArrayList<>();
      vfs.setOperationHandler(event -> seen.add(event.index() + ":" + event.kind()));
      vfs.exists("a");
      long mark = vfs.mark("acknowledged lsn 1");
      vfs.list();
      assertThat(mark).isEqualTo(2);
      assertThat(seen).containsExactly("1:EXISTS", "2:MARK", "3:LIST");
      assertThat(vfs.trace().get(1).outcome()).isEqualTo("acknowledged lsn 1");
    }
  }
}
