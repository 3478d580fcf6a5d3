package dev.wal.vfs.faulty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The directory as a crash would see it: the live names, the names as of the last directory sync,
 * and the creates, deletes and renames since, in order.
 *
 * <p>A crash keeps a prefix of those changes: journaling file systems commit metadata in order,
 * so a rename is never half done and a later change never survives an earlier one. Files unlinked
 * since the last sync stay in the inner storage under a hidden name ({@link #RESERVED_PREFIX}), so
 * a crash can bring them back in full; the sync deletes them.
 *
 * <p>Not thread-safe: the owning {@link FaultyVfs} serialises every call.
 */
final class Namespace {
  /** File names starting with this are the faulty backend's own; users may not take them. */
  static final String RESERVED_PREFIX = "~faulty~";

  /** A directory change since the last sync: a create (source null), delete or rename. */
  record Change(String source, String target, FileNode node) {}

  private final Map<String, FileNode> live = new HashMap<>();
  private Map<String, FileNode> durable = new HashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private final Set<FileNode> unlinked = new HashSet<>();

  static boolean isReserved(String name) {
    return name.startsWith(RESERVED_PREFIX);
  }

  static String unlinkedName(FileNode node) {
    return RESERVED_PREFIX + "unlinked~" + node.id;
  }

  FileNode live(String name) {
    return live.get(name);
  }

  Map<String, FileNode> liveView() {
    return java.util.Collections.unmodifiableMap(live);
  }

  /** Records a file that existed before this storage was wrapped: durable already. */
  void adopt(String name, FileNode node) {
    live.put(name, node);
    durable.put(name, node);
  }

  void created(String name, FileNode node) {
    live.put(name, node);
    changes.add(new Change(null, name, node));
  }

  void deleted(String name) {
    FileNode node = live.remove(name);
    unlinked.add(node);
    changes.add(new Change(name, null, node));
  }

  void renamed(String source, String target) {
    FileNode node = live.remove(source);
    FileNode replaced = live.put(target, node);
    if (replaced != null) {
      unlinked.add(replaced);
    }
    changes.add(new Change(source, target, node));
  }

  /** The directory was synced: every change is durable; returns the unlinked nodes to remove. */
  Set<FileNode> synced() {
    durable = new HashMap<>(live);
    changes.clear();
    Set<FileNode> gone = new HashSet<>(unlinked);
    unlinked.clear();
    return gone;
  }

  int changeCount() {
    return changes.size();
  }

  /** {@return the names a crash would leave if the first {@code kept} changes survived} */
  TreeMap<String, FileNode> afterChanges(int kept) {
    TreeMap<String, FileNode> names = new TreeMap<>(durable);
    for (Change change : changes.subList(0, kept)) {
      if (change.source() != null) {
        names.remove(change.source());
      }
      if (change.target() != null) {
        names.put(change.target(), change.node());
      }
    }
    return names;
  }

  TreeMap<String, FileNode> liveNames() {
    return new TreeMap<>(live);
  }
}
