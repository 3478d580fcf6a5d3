package dev.wal.vfs.memory;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.ChannelVfsFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A handle over a jimfs {@link FileChannel}. A jimfs channel, like the JDK's, closes itself when a
 * thread is interrupted during an operation; {@link ChannelVfsFile} keeps the handle usable for
 * the other threads. jimfs allocates every block of a write before copying a byte, so a write that
 * would pass {@code maxSize} writes nothing.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class MemoryVfsFile extends ChannelVfsFile {
  private final Path path;
  private final MemoryStorage storage;

  MemoryVfsFile(
      String name, AbstractVfs owner, Path path, FileChannel channel, MemoryStorage storage) {
    super(name, owner, channel);
    this.path = path;
    this.storage = storage;
  }

  @Override
  protected FileChannel reopenChannel() throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @Override
  protected String sizeLimit() {
    return "maxSize=" + storage.maxSizeBytes();
  }
}
