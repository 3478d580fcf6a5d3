package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * The directory operations of {@link FaultyVfs} that change the crash model: a deleted or
 * replaced file is moved aside under a hidden name, so that a crash can bring it back, until a
 * directory sync removes it. Called with the storage's lock held.
 */
final class DirectoryOps {
  private DirectoryOps() {}

  static void delete(FaultyVfs vfs, String name) throws IOException {
    FileNode node = vfs.known(name);
    if (node == null) {
      throw new NoSuchFileException(name, null, "no such file in " + vfs.spec());
    }
    String hidden = Namespace.unlinkedName(node);
    vfs.inner().rename(name, hidden);
    node.innerName = hidden;
    vfs.namespace.deleted(name);
  }

  static void syncDirectory(FaultyVfs vfs) throws IOException {
    vfs.inner().syncDirectory();
    for (FileNode gone : vfs.namespace.synced()) {
      vfs.inner().delete(gone.innerName);
    }
  }

  /** Renames in the inner storage, first moving a replaced target aside under a hidden name. */
  static void rename(FaultyVfs vfs, String source, String target) throws IOException {
    FileNode node = vfs.known(source);
    if (node == null) {
      throw new NoSuchFileException(source, target, "no such file in " + vfs.spec());
    }
    Vfs inner = vfs.inner();
    if (source.equals(target)) {
      inner.rename(source, target);
      return;
    }
    FileNode replaced = vfs.known(target);
    if (replaced == null) {
      inner.rename(source, target);
    } else {
      String hidden = Namespace.unlinkedName(replaced);
      inner.rename(target, hidden);
      replaced.innerName = hidden;
      try {
        inner.rename(source, target);
      } catch (IOException | RuntimeException e) {
        try {
          inner.rename(hidden, target);
          replaced.innerName = target;
        } catch (IOException | RuntimeException undo) {
          e.addSuppressed(undo);
        }
        throw e;
      }
    }
    node.innerName = target;
    node.name = target;
    vfs.namespace.renamed(source, target);
  }
}
