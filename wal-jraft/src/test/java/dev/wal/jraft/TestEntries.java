package dev.wal.jraft;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds the log entries the tests append. */
final class TestEntries {
  private TestEntries() {}

  /** A data entry whose payload names its index and term, so a misplaced entry is told apart. */
  static LogEntry data(long index, long term) {
    return data(index, term, ("entry " + index + " of term " + term).getBytes(StandardCharsets.UTF_8));
  }

  static LogEntry data(long index, long term, byte[] payload) {
    LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_DATA);
    entry.setId(new LogId(index, term));
    entry.setData(ByteBuffer.wrap(payload));
    return entry;
  }

  /** Data entries {@code fromIndex .. toIndex} inclusive, all of one term. */
  static List<LogEntry> dataRange(long fromIndex, long toIndex, long term) {
    List<LogEntry> entries = new ArrayList<>();
    for (long index = fromIndex; index <= toIndex; index++) {
      entries.add(data(index, term));
    }
    return entries;
  }

  /** A configuration entry with the given peers and learners and no old configuration. */
  static LogEntry configuration(long index, long term, List<String> peers, List<String> learners) {
    LogEntry entry = new LogEntry(EntryType.ENTRY_TYPE_CONFIGURATION);
    entry.setId(new LogId(index, term));
    entry.setPeers(peerIds(peers));
    if (!learners.isEmpty()) {
      entry.setLearners(peerIds(learners));
    }
    return entry;
  }

  /** A joint configuration entry: new peers, and the old peers it replaces. */
  static LogEntry jointConfiguration(long index, long term, List<String> peers, List<String> oldPeers) {
    LogEntry entry = configuration(index, term, peers, List.of());
    entry.setOldPeers(peerIds(oldPeers));
    return entry;
  }

  static List<String> peers(String... endpoints) {
    return Arrays.asList(endpoints);
  }

  static List<PeerId> peerIds(List<String> endpoints) {
    List<PeerId> ids = new ArrayList<>();
    for (String endpoint : endpoints) {
      ids.add(PeerId.parsePeer(endpoint));
    }
    return ids;
  }
}
