package dev.wal;

import java.nio.ByteBuffer;

/**
 * A record read back from the log: its log sequence number, the caller's tag and the payload.
 *
 * <p>A reader may hand out one instance again and again, re-pointed at each record it reads
 * (a flyweight, so that reading allocates nothing per record). Copy what you keep: {@link
 * #payloadBytes()} does so for the payload.
 */
public interface LogRecord {
  /** {@return the record's log sequence number; LSNs are dense and start at 1} */
  long lsn();

  /** {@return the 64-bit tag the caller gave the record when appending it} */
  long tag();

  /**
   * Returns the payload as a read-only buffer from position to limit. The buffer is valid until
   * the reader moves to the next record.
   *
   * @return the payload
   */
  ByteBuffer payload();

  /** {@return a copy of the payload} */
  default byte[] payloadBytes() {
    ByteBuffer payload = payload();
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return bytes;
  }
}
