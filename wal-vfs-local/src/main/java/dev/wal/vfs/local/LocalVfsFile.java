package dev.wal.vfs.local;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.ChannelVfsFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A handle over a {@link FileChannel} of a file in the directory; the mechanism, including what
 * happens when a thread is interrupted during I/O, is {@link ChannelVfsFile}'s. Reopening never
 * follows a symbolic link planted in the file's place.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class LocalVfsFile extends ChannelVfsFile {
  private final Path path;

  LocalVfsFile(String name, AbstractVfs owner, Path path, FileChannel channel) {
    super(name, owner, channel);
    this.path = path;
  }

  @Override
  protected FileChannel reopenChannel() throws IOException {
    return FileChannel.open(
        path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  /** {@return how often the channel was reopened after an interrupt closed it; for tests} */
  int reopens() {
    return reopenCount();
  }
}
