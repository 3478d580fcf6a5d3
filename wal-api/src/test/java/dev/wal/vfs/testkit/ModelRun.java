package dev.wal.vfs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.Vfs.OpenMode;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** One run of the model-based test: random operations on a {@link Vfs} and a {@link VfsModel}. */
final class ModelRun {
  private static final String[] NAMES = {"a", "b", "c", "seg-1", "seg-2", "seg-10"};
  private static final int MAX_SIZE = 64 * 1024;
  private static final int MAX_IO = 5000;
  private static final int RECENT = 25;

  /** An operation done, for the failure message. */
  record Op(int index, String description, String name) {
    @Override
    public String toString() {
      return "#" + index + " " + description;
    }
  }

  private final Vfs vfs;
  private final SplittableRandom random;
  private final VfsModel model = new VfsModel();
  private final Map<String, VfsFile> handles = new TreeMap<>();
  private final Deque<Op> recent = new ArrayDeque<>();
  private int count;

  ModelRun(Vfs vfs, SplittableRandom random) {
    this.vfs = vfs;
    this.random = random;
  }

  int operationCount() {
    return count;
  }

  String recentOperations() {
    StringBuilder out = new StringBuilder();
    recent.forEach(op -> out.append("  ").append(op).append('\n'));
    return out.toString();
  }

  private String anyName() {
    return NAMES[random.nextInt(NAMES.length)];
  }

  private Op record(String description, String name) {
    Op op = new Op(count++, description, name);
    recent.addLast(op);
    if (recent.size() > RECENT) {
      recent.removeFirst();
    }
    return op;
  }

  /** {@return an open handle of an existing file, opened with mode EXISTING if none is open} */
  private VfsFile handle(String name) throws IOException {
    VfsFile handle = handles.get(name);
    if (handle == null) {
      handle = vfs.open(name, OpenMode.EXISTING);
      handles.put(name, handle);
    }
    return handle;
  }

  private void closeHandle(String name) throws IOException {
    VfsFile handle = handles.remove(name);
    if (handle != null) {
      handle.close();
    }
  }

  void closeHandles() throws IOException {
    for (VfsFile handle : handles.values()) {
      handle.close();
    }
    handles.clear();
  }

  Op step() throws IOException {
    String name = anyName();
    int dice = random.nextInt(100);
    if (!model.exists(name)) {
      return stepOnMissing(name, dice);
    }
    if (dice < 30) {
      return write(name);
    } else if (dice < 50) {
      return read(name);
    } else if (dice < 58) {
      return truncate(name);
    } else if (dice < 64) {
      return open(name);
    } else if (dice < 70) {
      assertThat(handle(name).size()).isEqualTo(model.size(name));
      return record("size " + name, name);
    } else if (dice < 75) {
      handle(name).flush();
      return record("flush " + name, name);
    } else if (dice < 82) {
      return rename(name);
    } else if (dice < 88) {
      return delete(name);
    } else if (dice < 94) {
      closeHandle(name);
      return record("close handle " + name, name);
    } else {
      assertThat(vfs.exists(name)).isEqualTo(model.exists(name));
      return record("exists " + name, name);
    }
  }

  private Op stepOnMissing(String name, int dice) throws IOException {
    if (dice < 60) {
      return open(name);
    } else if (dice < 75) {
      return delete(name);
    } else if (dice < 85) {
      return rename(name);
    }
    assertThat(vfs.exists(name)).isFalse();
    return record("exists " + name, name);
  }

  private Op open(String name) throws IOException {
    OpenMode mode = OpenMode.values()[random.nextInt(OpenMode.values().length)];
    Op op = record("open " + name + " " + mode, name);
    boolean existed = model.exists(name);
    if (mode == OpenMode.EXISTING && !existed) {
      assertThatThrownBy(() -> vfs.open(name, mode)).isInstanceOf(NoSuchFileException.class);
    } else if (mode == OpenMode.CREATE_NEW && existed) {
      assertThatThrownBy(() -> vfs.open(name, mode))
          .isInstanceOf(FileAlreadyExistsException.class);
    } else {
      closeHandle(name);
      handles.put(name, vfs.open(name, mode));
      model.create(name);
    }
    return op;
  }

  private Op write(String name) throws IOException {
    long size = model.size(name);
    long offset = random.nextLong(Math.min(size + 2048, MAX_SIZE - MAX_IO) + 1);
    // Sometimes empty: an empty write changes nothing, not even the size.
    byte[] bytes = new byte[random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(MAX_IO)];
    random.nextBytes(bytes);
    int padding = random.nextInt(4);
    ByteBuffer src =
        random.nextBoolean()
            ? ByteBuffer.allocate(bytes.length + padding)
            : ByteBuffer.allocateDirect(bytes.length + padding);
    src.position(padding);
    src.put(bytes).position(padding);
    Op op = record("write " + name + " " + bytes.length + " bytes at " + offset, name);
    handle(name).write(offset, src);
    assertThat(src.hasRemaining()).isFalse();
    model.write(name, offset, bytes);
    return op;
  }

  private Op read(String name) throws IOException {
    long offset = random.nextLong(model.size(name) + 100);
    int length = 1 + random.nextInt(MAX_IO);
    ByteBuffer dst =
        random.nextBoolean() ? ByteBuffer.allocate(length) : ByteBuffer.allocateDirect(length);
    Op op = record("read " + name + " " + length + " bytes at " + offset, name);
    int read = handle(name).read(offset, dst);
    byte[] expected = model.read(name, offset, length);
    if (expected == null) {
      assertThat(read).as("read at or past the end").isEqualTo(-1);
    } else {
      assertThat(read).isEqualTo(expected.length);
      byte[] actual = new byte[read];
      dst.flip().get(actual);
      assertThat(actual).isEqualTo(expected);
    }
    return op;
  }

  private Op truncate(String name) throws IOException {
    long size = random.nextLong(model.size(name) + 100);
    Op op = record("truncate " + name + " to " + size, name);
    handle(name).truncate(size);
    model.truncate(name, size);
    return op;
  }

  private Op rename(String source) throws IOException {
    String target = anyName();
    if (target.equals(source)) {
      return record("(no rename onto itself) " + source, source);
    }
    Op op = record("rename " + source + " to " + target, target);
    // Open handles of renamed or replaced files may work or fail: the contract leaves it open.
    closeHandle(source);
    closeHandle(target);
    if (!model.exists(source)) {
      assertThatThrownBy(() -> vfs.rename(source, target)).isInstanceOf(NoSuchFileException.class);
      return op;
    }
    vfs.rename(source, target);
    model.rename(source, target);
    return op;
  }

  private Op delete(String name) throws IOException {
    Op op = record("delete " + name, name);
    closeHandle(name);
    if (!model.exists(name)) {
      assertThatThrownBy(() -> vfs.delete(name)).isInstanceOf(NoSuchFileException.class);
      return op;
    }
    vfs.delete(name);
    model.delete(name);
    return op;
  }

  void checkAfter(Op op, boolean everything) throws IOException {
    assertThat(vfs.list()).as("list after %s", op).isEqualTo(model.list());
    if (model.exists(op.name())) {
      assertThat(handle(op.name()).size()).as("size after %s", op).isEqualTo(model.size(op.name()));
    }
    if (everything) {
      checkAllContents();
    }
  }

  void checkAllContents() throws IOException {
    for (String name : model.list()) {
      assertThat(VfsFixture.readAll(handle(name))).as("content of %s", name)
          .isEqualTo(model.content(name));
    }
  }
}
