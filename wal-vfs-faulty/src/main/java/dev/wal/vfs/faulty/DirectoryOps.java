package dev.wal.vfs.faulty;

import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsFile;
import dev.wal.vfs.VfsLock;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory operations of {@link FaultyVfs}, each run through {@link FaultyVfs#operate}
 * (counted, traced, and failed where a rule says so). Names under the hidden prefix are refused:
 * they are the storage's own. Those that change the crash model keep it: a deleted or replaced
 * file is moved aside under a hidden name, so that a crash can bring it back, until a directory
 * sync removes it.
 */
final class DirectoryOps {
  private DirectoryOps() {}

  static AbstractVfsFile open(FaultyVfs vfs, String name, Vfs.OpenMode mode) throws IOException {
    checkNotReserved(name);
    return vfs.operate(OpKind.OPEN, name, -1, -1, index -> {
      FileNode node = vfs.files.known(name);
      VfsFile file = vfs.inner().open(name, mode);
      if (node == null) {
        node = vfs.files.created(name);
      }
      return new FaultyFile(name, vfs, node, file);
    }, null);
  }

  static List<String> list(FaultyVfs vfs) throws IOException {
    return vfs.operate(OpKind.LIST, null, -1, -1, index -> {
      List<String> names = new ArrayList<>();
      for (String name : vfs.inner().list()) {
        if (!Namespace.isReserved(name)) {
          names.add(name);
        }
      }
      return names;
    }, null);
  }

  static boolean exists(FaultyVfs vfs, String name) throws IOException {
    checkNotReserved(name);
    return vfs.operate(OpKind.EXISTS, name, -1, -1, index -> vfs.inner().exists(name), null);
  }

  static VfsLock lock(FaultyVfs vfs, String name) throws IOException {
    checkNotReserved(name);
    return vfs.operate(OpKind.LOCK, name, -1, -1, index -> vfs.inner().lock(name), null);
  }

  static void delete(FaultyVfs vfs, String name) throws IOException {
    checkNotReserved(name);
    vfs.operate(OpKind.DELETE, name, -1, -1, index -> {
      unlink(vfs, name);
      return null;
    }, null);
  }

  static void rename(FaultyVfs vfs, String source, String target) throws IOException {
    checkNotReserved(source);
    checkNotReserved(target);
    vfs.operate(OpKind.RENAME, source, -1, -1, index -> {
      renameKeepingReplaced(vfs, source, target);
      return null;
    }, null);
  }

  static void syncDirectory(FaultyVfs vfs) throws IOException {
    vfs.operate(OpKind.SYNC_DIRECTORY, null, -1, -1, index -> {
      vfs.inner().syncDirectory();
      for (FileNode gone : vfs.namespace.synced()) {
        vfs.inner().delete(gone.innerName);
      }
      return null;
    }, null);
  }

  private static void checkNotReserved(String name) {
    if (Namespace.isReserved(name)) {
      throw new IllegalArgumentException("file name '" + name + "' starts with '"
          + Namespace.RESERVED_PREFIX + "', which the faulty backend keeps for its own files");
    }
  }

  /** Moves a deleted file aside under a hidden name. */
  private static void unlink(FaultyVfs vfs, String name) throws IOException {
    FileNode node = vfs.files.known(name);
    if (node == null) {
      throw new NoSuchFileException(name, null, "no such file in " + vfs.spec());
    }
    String hidden = Namespace.unlinkedName(node);
    vfs.inner().rename(name, hidden);
    node.innerName = hidden;
    vfs.namespace.deleted(name);
  }

  /** Renames in the inner storage, first moving a replaced target aside under a hidden name. */
  private static void renameKeepingReplaced(FaultyVfs vfs, String source, String target)
      throws IOException {
    FileNode node = vfs.files.known(source);
    if (node == null) {
      throw new NoSuchFileException(source, target, "no such file in " + vfs.spec());
    }
    Vfs inner = vfs.inner();
    if (source.equals(target)) {
      inner.rename(source, target);
      return;
    }
    FileNode replaced = vfs.files.known(target);
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
