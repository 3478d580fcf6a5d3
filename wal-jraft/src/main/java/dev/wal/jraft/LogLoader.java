package dev.wal.jraft;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import dev.wal.engine.RecoveryListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds what {@code init} needs from a reopened log, as the default storage does: the term of
 * every entry, and the configuration entries replayed into the node's {@link
 * ConfigurationManager}. Both come from the record tags, which recovery hands over as it checks
 * each record (it is the log's {@link RecoveryListener}); afterwards only the configuration
 * entries, a few, are read and decoded. So a restart reads the log's payloads once, not twice.
 *
 * <p>Not thread-safe: the opening thread uses it, then drops it.
 */
final class LogLoader implements RecoveryListener {
  private final TermIndex terms;
  private final List<Long> configurationIndexes = new ArrayList<>();
  private long lastIndex = -1;

  /** @param terms where the terms go; cleared by the caller */
  LogLoader(TermIndex terms) {
    this.terms = terms;
  }

  @Override
  public void onRecord(long lsn, long tag) {
    if (lastIndex >= 0 && lsn != lastIndex + 1) {
      throw new IllegalStateException("recovery told the record of LSN " + lsn + " after " + lastIndex);
    }
    lastIndex = lsn;
    terms.append(lsn, RecordTag.term(tag));
    if (RecordTag.isConfiguration(tag)) {
      configurationIndexes.add(lsn);
    }
  }

  /**
   * Reads the configuration entries recovery found in {@code log} and adds them to {@code
   * confManager}, in order.
   *
   * @throws IOException on an I/O failure or damage, or if an entry does not decode
   */
  void replayConfigurations(IndexedLog log, LogEntryDecoder decoder, ConfigurationManager confManager)
      throws IOException {
    for (long index : configurationIndexes) {
      confManager.add(configuration(EntryBatch.decode(decoder, log.read(index), index)));
    }
  }

  private static ConfigurationEntry configuration(LogEntry entry) {
    ConfigurationEntry conf = new ConfigurationEntry();
    conf.setId(new LogId(entry.getId().getIndex(), entry.getId().getTerm()));
    conf.setConf(new Configuration(entry.getPeers(), entry.getLearners()));
    if (entry.getOldPeers() != null) {
      conf.setOldConf(new Configuration(entry.getOldPeers(), entry.getOldLearners()));
    }
    return conf;
  }
}
