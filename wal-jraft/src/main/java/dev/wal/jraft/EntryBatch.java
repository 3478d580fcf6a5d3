package dev.wal.jraft;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;
import dev.wal.RecordTooLargeException;
import java.io.IOException;
import java.util.List;

/**
 * A batch of Raft entries as the records that store them: each entry's payload, encoded with the
 * node's codec, and its tag ({@link RecordTag}). Building one checks the batch, so bad input is
 * refused before the log changes; {@link #decode} turns a record back into its entry. Instances
 * are not copied: do not change the arrays.
 *
 * @param payloads the encoded entries, in index order
 * @param tags the tag of each
 */
record EntryBatch(byte[][] payloads, long[] tags) {
  /**
   * Encodes {@code entries}, which must be consecutive from {@code firstIndex}.
   *
   * @param log names the log in messages
   * @throws IllegalArgumentException if an entry is not at its index (a gap in the batch)
   * @throws RecordTooLargeException if an entry encodes to more than {@code maxRecordBytes}
   */
  static EntryBatch encode(
      List<LogEntry> entries, long firstIndex, LogEntryEncoder encoder, int maxRecordBytes, String log) {
    byte[][] payloads = new byte[entries.size()][];
    long[] tags = new long[entries.size()];
    for (int i = 0; i < payloads.length; i++) {
      LogEntry entry = entries.get(i);
      if (entry.getId().getIndex() != firstIndex + i) {
        throw new IllegalArgumentException(
            "entry " + i + " of the batch has index " + entry.getId().getIndex() + " but the log "
                + log + " takes index " + (firstIndex + i) + " there: a batch has no gap");
      }
      payloads[i] = encoder.encode(entry);
      if (payloads[i].length > maxRecordBytes) {
        throw new RecordTooLargeException(payloads[i].length, maxRecordBytes);
      }
      tags[i] = RecordTag.of(entry.getId().getTerm(), entry.getType());
    }
    return new EntryBatch(payloads, tags);
  }

  /**
   * Decodes the payload of the record at {@code index} back into its entry.
   *
   * @throws IOException if it does not decode, or decodes to an entry of another index (a record
   *     written by another codec, say)
   */
  static LogEntry decode(LogEntryDecoder decoder, byte[] payload, long index) throws IOException {
    LogEntry entry = decoder.decode(payload);
    if (entry == null || entry.getId().getIndex() != index) {
      throw new IOException(
          "the record of index " + index
              + " does not decode to its entry (written by another codec?)");
    }
    return entry;
  }
}
