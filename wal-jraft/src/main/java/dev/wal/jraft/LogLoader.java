package dev.wal.jraft;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import dev.wal.CorruptLogException;
import dev.wal.LogRecord;
import dev.wal.engine.LogReader;
import dev.wal.engine.WriteAheadLog;
import java.io.IOException;

/**
 * Reads a reopened log once, in order, to index the term of every entry and replay the
 * configuration entries into the node's {@link ConfigurationManager}, as the default storage does
 * on {@code init}. Only configuration entries are decoded: the record tag says which they are.
 */
final class LogLoader {
  private LogLoader() {}

  /**
   * Loads the entries {@code window.firstIndex() .. lastIndex}.
   *
   * @param confManager where configuration entries go; null to replay none
   * @throws CorruptLogException if a record is damaged
   * @throws IOException on an I/O failure, or if a record is missing or does not decode
   */
  static void load(
      WriteAheadLog log,
      IndexWindow window,
      long lastIndex,
      TermIndex terms,
      LogEntryDecoder decoder,
      ConfigurationManager confManager)
      throws IOException {
    long fromLsn = window.lsn(window.firstIndex());
    long toLsn = window.lsn(lastIndex);
    if (toLsn < fromLsn) {
      return;
    }
    try (LogReader reader = log.reader(fromLsn)) {
      for (long lsn = fromLsn; lsn <= toLsn; lsn++) {
        LogRecord record = reader.next();
        if (record == null || record.lsn() != lsn) {
          throw new IOException(log + ": no durable record at LSN " + lsn + " while loading the log");
        }
        long index = window.index(lsn);
        terms.append(index, RecordTag.term(record.tag()));
        if (confManager != null && RecordTag.isConfiguration(record.tag())) {
          confManager.add(configuration(decode(decoder, record, index)));
        }
      }
    }
  }

  private static LogEntry decode(LogEntryDecoder decoder, LogRecord record, long index)
      throws IOException {
    LogEntry entry = decoder.decode(record.payloadBytes());
    if (entry == null || entry.getId().getIndex() != index) {
      throw new IOException(
          "the record of LSN " + record.lsn() + " does not decode to the entry of index " + index
              + " (written by another codec?)");
    }
    return entry;
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
