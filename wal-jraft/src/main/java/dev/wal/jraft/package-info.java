/**
 * The write-ahead log as the log storage of a SOFAJRaft node. Start at {@link
 * dev.wal.jraft.WalJRaftServiceFactory}: set it as the node's service factory and give the node a
 * Vfs spec as its log URI.
 *
 * <p>{@code WalLogStorage} implements SOFAJRaft's {@code LogStorage} over {@code
 * dev.wal.engine.WriteAheadLog}, one record per Raft entry, the term and entry type in the record
 * tag ({@code RecordTag}). {@code TermIndex} answers terms from memory, {@code LogLoader} rebuilds
 * it and replays configuration entries on init, {@code EntryReader} serves point reads, and {@code
 * IndexWindow} maps Raft indexes to LSNs until the engine can reset its LSNs itself.
 */
package dev.wal.jraft;
