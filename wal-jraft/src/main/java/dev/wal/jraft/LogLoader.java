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
import java.io.IOException;

/**
 * Reads a reopened log once, in order, to index the term of every entry and replay the
 * configuration entries into the node's {@link ConfigurationManager}, as the default storage does
 * on {@code init}. Only configuration entries are decoded: the record tag says which they are.
 */
final class LogLoader {
  private LogLoader() {}

  /**
   * Loads every entry of {@code log}.
   *
   * @param confManager where configuration entries go
   * @throws CorruptLogException if a record is damaged
   * @throws IOException on an I/O failure, or if a record is missing or does not decode
   */
  static void load(IndexedLog log, TermIndex terms, LogEntryDecoder decoder, ConfigurationManager confManager)
      throws IOException {
    if (log.isEmpty()) {
      return;
    }
    long lastIndex = log.lastIndex();
    try (LogReader reader = log.readerAt(log.firstIndex())) {
      for (long index = log.firstIndex(); index <= lastIndex; index++) {
        LogRecord record = reader.next();
        if (record == null || record.lsn() != index) {
          throw new IOException(log + ": no durable record of index " + index + " while loading the log");
        }
        terms.append(index, RecordTag.term(record.tag()));
        if (RecordTag.isConfiguration(record.tag())) {
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
