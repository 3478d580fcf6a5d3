package dev.wal.vfs.faulty;

import java.util.SplittableRandom;

/**
 * Keyed random streams: each decision draws from a generator seeded by the configuration's seed,
 * what is decided, the file's name and a count of that file's calls, so a decision about one file
 * does not depend on how threads interleave on other files (Pebble's per-path keyed PRNG).
 */
final class Randoms {
  private Randoms() {}

  static SplittableRandom keyed(long seed, long purpose, String file, long count) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ purpose);
    h = mix(h ^ (file == null ? 0 : file.hashCode()));
    h = mix(h ^ count);
    return new SplittableRandom(h);
  }

  /** A 64-bit finaliser (the SplitMix64 mixing function). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
