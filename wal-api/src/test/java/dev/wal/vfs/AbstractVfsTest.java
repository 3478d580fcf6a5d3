package dev.wal.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.AlreadyClosedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared contract the base classes enforce: poisoning, closing, argument checks. */
class AbstractVfsTest {

  /** A file whose flush and close do what the test says. */
  static final class ScriptedFile extends AbstractVfsFile {
    Exception flushFailure;
    IOException closeFailure;
    final AtomicInteger closes = new AtomicInteger();

    ScriptedFile(String name, AbstractVfs owner) {
      super(name, owner);
    }

    void poison(Throwable failure) {
      markFlushFailed(failure);
    }

    @Override
    protected void doWrite(long offset, ByteBuffer src) {
      src.position(src.limit());
    }

    @Override
    protected int doRead(long offset, ByteBuffer dst) {
      return -1;
    }

    @Override
    protected long doSize() {
      return 0;
    }

    @Override
    protected void doTruncate(long size) {}

    @Override
    protected void doFlush() throws IOException {
      if (flushFailure instanceof IOException io) {
        throw io;
      }
      if (flushFailure instanceof RuntimeException runtime) {
        throw runtime;
      }
    }

    @Override
    protected void doClose() throws IOException {
      closes.incrementAndGet();
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }

  /** A storage of scripted files; directory operations are not needed here. */
  static final class ScriptedVfs extends AbstractVfs {
    IOException closeFailure;
    final AtomicInteger closes = new AtomicInteger();

    ScriptedVfs() {
      super("scripted:test", HeapVfs.CAPABILITIES);
    }

    @Override
    protected ScriptedFile doOpen(String name, OpenMode mode) {
      return new ScriptedFile(name, this);
    }

    @Override
    protected List<String> doList() {
      return List.of("b", "a");
    }

    @Override
    protected boolean doExists(String name) {
      return false;
    }

    @Override
    protected void doDelete(String name) {}

    @Override
    protected void doRename(String source, String target) {}

    @Override
    protected void doSyncDirectory() {}

    @Override
    protected VfsLock doLock(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void doClose() throws IOException {
      closes.incrementAndGet();
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }

  private final ScriptedVfs vfs = new ScriptedVfs();

  private ScriptedFile open() throws IOException {
    return (ScriptedFile) vfs.open("f", Vfs.OpenMode.CREATE);
  }

  @Test
  void afterAFailedFlushWritesTruncatesAndFlushesThrowFlushFailedWithTheFirstFailure()
      throws IOException {
    ScriptedFile file = open();
    IOException first = new IOException("fsync failed");
    file.flushFailure = first;
    assertThatThrownBy(file::flush).isSameAs(first);
    file.flushFailure = null; // a retry would now succeed: it must not be allowed
    assertThatThrownBy(file::flush).isInstanceOf(FlushFailedException.class).hasCause(first);
    assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(1)))
        .isInstanceOf(FlushFailedException.class)
        .hasMessageContaining("'f'")
        .hasCause(first);
    assertThatThrownBy(() -> file.truncate(0)).isInstanceOf(FlushFailedException.class);
    assertThat(file.read(0, ByteBuffer.allocate(1))).isEqualTo(-1);
    assertThat(file.size()).isZero();
    file.close();
    assertThat(open().size()).as("a reopened handle is not poisoned").isZero();
  }

  @Test
  void aRuntimeExceptionFromFlushAlsoPoisons() throws IOException {
    ScriptedFile file = open();
    IllegalStateException first = new IllegalStateException("bug");
    file.flushFailure = first;
    assertThatThrownBy(file::flush).isSameAs(first);
    assertThatThrownBy(file::flush).isInstanceOf(FlushFailedException.class).hasCause(first);
  }

  @Test
  void aClosedChannelFromFlushDoesNotPoison() throws IOException {
    ScriptedFile file = open();
    file.flushFailure = new ClosedChannelException();
    assertThatThrownBy(file::flush).isInstanceOf(ClosedChannelException.class);
    file.flushFailure = null;
    file.flush();
    file.write(0, ByteBuffer.allocate(1));
  }

  @Test
  void markFlushFailedPoisonsTheHandle() throws IOException {
    ScriptedFile file = open();
    IOException lost = new IOException("write-back lost");
    file.poison(lost);
    assertThatThrownBy(() -> file.write(0, ByteBuffer.allocate(1))).hasCause(lost);
  }

  @Test
  void writeRefusesNegativeAndOverflowingOffsets() throws IOException {
    ScriptedFile file = open();
    assertThatThrownBy(() -> file.write(Long.MAX_VALUE, ByteBuffer.allocate(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows a long");
    assertThatThrownBy(() -> file.write(-5, ByteBuffer.allocate(2)))
        .hasMessageContaining("offset (-5)");
    assertThatThrownBy(() -> file.write(0, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void closingAFileTwiceReleasesItOnceAndLaterCallsNameIt() throws IOException {
    ScriptedFile file = open();
    file.close();
    file.close();
    assertThat(file.closes).hasValue(1);
    assertThatThrownBy(file::size)
        .isInstanceOf(AlreadyClosedException.class)
        .hasMessage("file 'f' of scripted:test is closed");
  }

  @Test
  void closingTheVfsClosesItsFilesKeepingTheFirstFailureAndSuppressingTheRest()
      throws IOException {
    ScriptedFile first = open();
    ScriptedFile second = open();
    ScriptedFile closedEarlier = open();
    closedEarlier.close();
    first.closeFailure = new IOException("first");
    second.closeFailure = new IOException("second");
    vfs.closeFailure = new IOException("vfs");
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(vfs::close);
    assertThat(failure).isInstanceOf(IOException.class);
    assertThat(failure.getMessage()).isIn("first", "second");
    assertThat(failure.getSuppressed()).hasSize(2);
    assertThat(first.closes).hasValue(1);
    assertThat(second.closes).hasValue(1);
    assertThat(closedEarlier.closes).hasValue(1);
    assertThat(vfs.closes).hasValue(1);
    vfs.close();
    assertThat(vfs.closes).hasValue(1);
  }

  @Test
  void afterCloseTheVfsRefusesCallsNamingItsSpec() throws IOException {
    vfs.close();
    assertThatThrownBy(vfs::list)
        .isInstanceOf(AlreadyClosedException.class)
        .hasMessage("Vfs scripted:test is closed");
  }

  @Test
  void listIsSortedWhateverOrderTheBackendGives() throws IOException {
    assertThat(vfs.list()).containsExactly("a", "b");
    assertThat(vfs).hasToString("scripted:test");
  }
}
