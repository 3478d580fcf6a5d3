/**
 * The fault-injecting backend: {@code faulty:<inner spec>}, a decorator over any Vfs that
 * simulates crashes and injects errors and silent corruption, deterministically from a seed.
 */
module dev.wal.vfs.faulty {
  requires transitive dev.wal.api;
  requires static transitive org.junit.jupiter.api;

  exports dev.wal.vfs.faulty;
  exports dev.wal.vfs.faulty.junit;

  provides dev.wal.vfs.VfsProvider with
      dev.wal.vfs.faulty.FaultyVfsProvider;
}
