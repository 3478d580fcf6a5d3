package dev.wal.engine;

import dev.wal.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test payloads that say which record they are, and reading a whole log back. */
final class Payloads {
  private Payloads() {}

  /** {@return a payload of {@code size} bytes derived from {@code seed}} */
  static byte[] bytes(long seed, int size) {
    byte[] bytes = new byte[size];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      bytes[i] = (byte) x;
    }
    return bytes;
  }

  static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A copied record. */
  record Read(long lsn, long tag, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** {@return every durable record from {@code fromLsn} on, copied} */
  static List<Read> readAll(WriteAheadLog log, long fromLsn) throws IOException {
    List<Read> records = new ArrayList<>();
    try (LogReader reader = log.reader(fromLsn)) {
      for (LogRecord r; (r = reader.next()) != null; ) {
        ByteBuffer payload = r.payload();
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        records.add(new Read(r.lsn(), r.tag(), copy));
      }
    }
    return records;
  }
}
