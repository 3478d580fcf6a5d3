/**
 * The write-ahead log as the log storage of a SOFAJRaft node. Start at {@link
 * dev.wal.jraft.WalJRaftServiceFactory}: set it as the node's service factory and give the node a
 * Vfs spec as its log URI.
 *
 * <p>{@code WalLogStorage} implements SOFAJRaft's {@code LogStorage}: one record per Raft entry,
 * encoded with the node's codec, the term and entry type in the record tag ({@code RecordTag}).
 * {@code TermIndex} answers terms from memory, and {@code LogLoader} rebuilds it and replays the
 * configuration entries on init. The records live in an {@code IndexedLog}, the engine's log
 * addressed by Raft index, which until the engine can start its LSNs anew keeps an {@code
 * IndexWindow} (first index, index-to-LSN offset) beside the segments; {@code EntryReader} serves
 * point reads with a few readers kept open where SOFAJRaft's sequential reads left them.
 */
package dev.wal.jraft;
