/**
 * The write-ahead log as the log storage of a SOFAJRaft node. Start at {@link
 * dev.wal.jraft.WalJRaftServiceFactory}: set it as the node's service factory and give the node a
 * Vfs spec as its log URI.
 *
 * <p>{@code WalLogStorage} implements SOFAJRaft's {@code LogStorage}: one record per Raft entry,
 * encoded with the node's codec, the term and entry type in the record tag ({@code RecordTag}).
 * {@code TermIndex} answers terms from memory; on init, {@code LogLoader} rebuilds it from the
 * tags recovery hands over and replays the configuration entries. The records live in an {@code
 * IndexedLog}, the engine's log addressed by Raft index (= LSN), where each change is one engine
 * call; {@code RecentEntries} answers reads of the newest entries from memory, and {@code
 * EntryReader} serves the others, keeping a few readers open as streams where SOFAJRaft reads in
 * order.
 */
package dev.wal.jraft;
