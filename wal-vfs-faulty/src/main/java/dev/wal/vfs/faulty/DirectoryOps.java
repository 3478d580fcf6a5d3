package dev.wal.vfs.faulty;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** The rename of {@link FaultyVfs}, which keeps a replaced file for the crash model. */
final class DirectoryOps {
  private DirectoryOps() {}

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
    vfs.namespace.renamed(source, target);
  }
}
