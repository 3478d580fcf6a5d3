package dev.wal.vfs.faulty;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file of a {@link FaultyVfs}: each call goes to the inner file through {@link
 * FaultyVfs#operate}, which counts, traces and may fail it, and updates the file's {@link
 * FileNode} so that a crash knows what is durable. Calls are traced and matched against rules
 * under the file's current name, which a rename since the open may have changed. Safe for use by
 * many threads: the storage's lock serialises every call.
 */
final class FaultyFile extends AbstractVfsFile {
  private final FaultyVfs vfs;
  private final FileNode node;
  private final VfsFile inner;

  FaultyFile(String name, FaultyVfs vfs, FileNode node, VfsFile inner) {
    super(name, vfs);
    this.vfs = vfs;
    this.node = node;
    this.inner = inner;
  }

  @Override
  protected void doWrite(long offset, ByteBuffer src) throws IOException {
    int length = src.remaining();
    vfs.operate(OpKind.WRITE, node.name, offset, length, index -> {
      byte[] data = new byte[length];
      src.duplicate().get(data);
      writeWithinQuota(index, offset, data);
      src.position(src.limit());
      return null;
    }, null);
  }

  private void writeWithinQuota(long index, long offset, byte[] data) throws IOException {
    long growth = offset + data.length - node.liveSize;
    long quota = vfs.config().quotaBytes;
    long room = quota - vfs.files.usedBytes();
    if (growth <= 0 || growth <= room) {
      write(index, offset, data);
      return;
    }
    int written = 0;
    if (vfs.config().partialWrites) {
      written = (int) Math.max(0, Math.min(data.length, node.liveSize + Math.max(room, 0) - offset));
      if (written > 0) {
        write(index, offset, java.util.Arrays.copyOf(data, written));
      }
    }
    throw new InjectedOutOfSpaceException(index, "quota of " + quota + " bytes reached: wrote "
        + written + " of " + data.length + " bytes at offset " + offset + " of '" + node.name
        + "'");
  }

  private void write(long index, long offset, byte[] data) throws IOException {
    long misdirect = vfs.silent.misdirectTarget(node.name, node, offset, data.length);
    byte[] oldVisible =
        misdirect >= 0 ? SilentFaults.visibleBytes(inner, node, offset, data.length) : null;
    node.beforeWrite(inner, offset, data.length);
    inner.write(offset, ByteBuffer.wrap(data));
    node.afterWrite(offset, data);
    vfs.silent.afterWrite(vfs, index, node.name, node, offset, data, misdirect, oldVisible);
  }

  @Override
  protected int doRead(long offset, ByteBuffer dst) throws IOException {
    return vfs.operate(OpKind.READ, node.name, offset, dst.remaining(), index -> {
      int start = dst.position();
      int count = inner.read(offset, dst);
      vfs.silent.onRead(vfs, index, node.name, node, offset, dst, start, count);
      return count;
    }, null);
  }

  @Override
  protected long doSize() throws IOException {
    return vfs.operate(OpKind.SIZE, node.name, -1, -1, index -> inner.size(), null);
  }

  @Override
  protected void doTruncate(long size) throws IOException {
    vfs.operate(OpKind.TRUNCATE, node.name, size, -1, index -> {
      node.beforeTruncate(inner, size);
      inner.truncate(size);
      node.afterTruncate(size);
      vfs.silent.afterTruncate(node, size);
      return null;
    }, null);
  }

  @Override
  protected void doFlush() throws IOException {
    vfs.operate(OpKind.FLUSH, node.name, -1, -1, index -> {
      inner.flush();
      node.flushed();
      return null;
    }, this::onFlushFailure);
  }

  /** What an injected flush failure does to the dirty data, per {@link FlushFailureMode}. */
  private void onFlushFailure(boolean afterOperation) throws IOException {
    switch (vfs.config().flushFailureMode) {
      case RETRY_SUCCEEDS -> {}
      case LINUX -> {
        if (!afterOperation) {
          node.flushLost(inner);
        }
      }
      case FAIL_STOP -> vfs.halt("a flush of '" + node.name + "' failed (FAIL_STOP mode)");
    }
  }

  @Override
  protected void doClose() throws IOException {
    inner.close();
  }
}
