package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import java.io.IOException;

/**
 * The files a {@link FaultyVfs} knows, each with its {@link FileNode}: those created through it,
 * and those the inner storage holds without this storage having seen them created (the files it
 * held when wrapped, a lock file it made itself), adopted as durable when first named. Their
 * names are kept in the storage's {@link Namespace}; files under a hidden name are never adopted.
 *
 * <p>Not thread-safe: the owning {@link FaultyVfs} serialises every call.
 */
final class KnownFiles {
  private final Vfs inner;
  private final Namespace namespace;
  private long nextNodeId;

  KnownFiles(Vfs inner, Namespace namespace) {
    this.inner = inner;
    this.namespace = namespace;
  }

  /** Adopts every file of the inner storage: a storage just wrapped knows none yet. */
  void adoptExisting() throws IOException {
    for (String name : inner.list()) {
      // Hidden files belong to another FaultyVfs on this storage (or one that was never
      // synced); they stay hidden and untouched.
      if (!Namespace.isReserved(name)) {
        adopt(name);
      }
    }
  }

  /** Adopts the files of the inner storage not known yet, so that a crash image holds them. */
  void adoptUnknown() throws IOException {
    for (String name : inner.list()) {
      if (!Namespace.isReserved(name)) {
        known(name);
      }
    }
  }

  /** Registers a file the inner storage has but this one never saw created: durable already. */
  private FileNode adopt(String name) throws IOException {
    long size;
    try (VfsFile file = inner.open(name, Vfs.OpenMode.EXISTING)) {
      size = file.size();
    }
    FileNode node = new FileNode(++nextNodeId, name, size, true);
    namespace.adopt(name, node);
    return node;
  }

  /** {@return the node of a file just created through this storage, nothing of it durable} */
  FileNode created(String name) {
    FileNode node = new FileNode(++nextNodeId, name, 0, false);
    namespace.created(name, node);
    return node;
  }

  /** {@return the node of a live name, adopting a file the inner storage made itself (a lock)} */
  FileNode known(String name) throws IOException {
    FileNode node = namespace.live(name);
    if (node == null && inner.exists(name)) {
      node = adopt(name);
    }
    return node;
  }

  /** {@return the bytes of the live files, as the space quota counts them} */
  long usedBytes() {
    long used = 0;
    for (FileNode node : namespace.liveView().values()) {
      used += node.liveSize;
    }
    return used;
  }

  /** {@return bytes of unflushed data and saved durable data held in memory, over all files} */
  long heldBytes() {
    long held = 0;
    for (FileNode node : namespace.liveView().values()) {
      held += node.heldBytes();
    }
    return held;
  }
}
