package dev.wal.jraft.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads which local addresses listen on a TCP port, from Linux's {@code /proc/net/tcp} and {@code
 * tcp6}, so a test can prove a server listens on the loopback address alone.
 */
final class LoopbackSockets {
  private static final Path TCP4 = Path.of("/proc/net/tcp");
  private static final Path TCP6 = Path.of("/proc/net/tcp6");
  /** The state column's value for a listening socket. */
  private static final String LISTEN = "0A";

  private LoopbackSockets() {}

  /** {@return whether this system lists its sockets where this class reads them} */
  static boolean available() {
    return Files.isReadable(TCP4);
  }

  /**
   * Returns the addresses of the sockets listening on {@code port}, IPv4 and IPv6 together. An
   * IPv4-mapped IPv6 address (a dual-stack socket bound to an IPv4 address) reads as IPv4.
   */
  static List<InetAddress> listeningAddresses(int port) throws IOException {
    List<InetAddress> addresses = new ArrayList<>();
    for (Path table : List.of(TCP4, TCP6)) {
      if (!Files.isReadable(table)) {
        continue;
      }
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(1, lines.size())) {
        String[] columns = line.strip().split("\\s+");
        String[] local = columns[1].split(":");
        if (columns[3].equals(LISTEN) && Integer.parseInt(local[1], 16) == port) {
          addresses.add(parse(local[0]));
        }
      }
    }
    return addresses;
  }

  /**
   * Parses an address as the kernel prints it: hex, in 32-bit words each in host byte order,
   * which is little-endian on every platform this runs on.
   */
  private static InetAddress parse(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        int at = 2 * (word + i);
        bytes[word + 3 - i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
