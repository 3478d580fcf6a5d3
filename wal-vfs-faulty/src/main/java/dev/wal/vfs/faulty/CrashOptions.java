package dev.wal.vfs.faulty;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link FaultyVfs#crash(CrashOptions, dev.wal.vfs.Vfs)} builds a crash image. Immutable;
 * start from {@link #powerLoss()} or {@link #processCrash()} and adjust.
 *
 * <p>The defaults of a power loss: each unflushed write or truncate survives with probability
 * 0.5, in any subset; a surviving write is torn with probability 0.25, each sector it covers then
 * holding the new bytes, zeros, garbage or the old bytes; a torn sector damages the rest of its
 * bytes (outside the write) with probability 0.25; a random prefix of the directory changes since
 * the last directory sync survives. The seed, unless set, derives from the {@link FaultyVfs}'s
 * seed and how many crash images it took before.
 */
public final class CrashOptions {
  /** What a crash keeps. */
  public enum Mode {
    /** Only what was flushed, plus whatever of the rest the options let survive. */
    POWER_LOSS,
    /** Everything written and every directory change: the data was handed to the OS. */
    PROCESS_CRASH
  }

  /** Which unflushed writes and truncates survive a power loss. */
  public enum Unflushed {
    /** All of them, each possibly torn. */
    ALL,
    /** None: the image holds exactly what was flushed. */
    NONE,
    /** Each independently, with the survival probability: any subset, not only a prefix. */
    SUBSET
  }

  /** What a torn sector holds where the write should have put its bytes. */
  public enum TornFill {
    /** Zeros. */
    ZEROS,
    /** Random bytes from the crash's seed. */
    GARBAGE,
    /** What was there before the write (zeros past the old end of the file). */
    OLD_DATA
  }

  /** Which directory changes since the last directory sync survive a power loss. */
  public enum DirectoryChanges {
    /** All of them. */
    KEEP,
    /** None: the names are those of the last directory sync. */
    REVERT,
    /** A random prefix, in order: never a later change without the earlier ones. */
    PREFIX
  }

  final Mode mode;
  final Long seed;
  final Unflushed unflushed;
  final double survivalProbability;
  final double tornProbability;
  final Set<TornFill> tornFills;
  final double neighbourDamageProbability;
  final DirectoryChanges directoryChanges;
  final int sectorSize;
  final FaultConfig imageConfig;

  private CrashOptions(Mode mode, Long seed, Unflushed unflushed, double survivalProbability,
      double tornProbability, Set<TornFill> tornFills, double neighbourDamageProbability,
      DirectoryChanges directoryChanges, int sectorSize, FaultConfig imageConfig) {
    this.mode = mode;
    this.seed = seed;
    this.unflushed = unflushed;
    this.survivalProbability = survivalProbability;
    this.tornProbability = tornProbability;
    this.tornFills = tornFills;
    this.neighbourDamageProbability = neighbourDamageProbability;
    this.directoryChanges = directoryChanges;
    this.sectorSize = sectorSize;
    this.imageConfig = imageConfig;
  }

  /** {@return the options of a power loss, with the defaults in the class documentation} */
  public static CrashOptions powerLoss() {
    return new CrashOptions(Mode.POWER_LOSS, null, Unflushed.SUBSET, 0.5, 0.25,
        Set.copyOf(EnumSet.allOf(TornFill.class)), 0.25, DirectoryChanges.PREFIX, 0, null);
  }

  /** {@return the options of a process crash: everything written survives} */
  public static CrashOptions processCrash() {
    return new CrashOptions(Mode.PROCESS_CRASH, null, Unflushed.ALL, 1, 0,
        Set.copyOf(EnumSet.allOf(TornFill.class)), 0, DirectoryChanges.KEEP, 0, null);
  }

  /**
   * Sets the seed of this crash's random choices.
   *
   * @param seed any value; the same seed and the same operations give a byte-identical image
   * @return the new options
   */
  public CrashOptions seed(long seed) {
    return new CrashOptions(mode, seed, unflushed, survivalProbability, tornProbability,
        tornFills, neighbourDamageProbability, directoryChanges, sectorSize, imageConfig);
  }

  /**
   * Sets which unflushed writes survive, and for {@link Unflushed#SUBSET} with what probability.
   *
   * @param which all, none or a subset
   * @param probability each one's chance to survive under {@link Unflushed#SUBSET}, in [0, 1]
   * @return the new options
   */
  public CrashOptions unflushed(Unflushed which, double probability) {
    return new CrashOptions(mode, seed, Objects.requireNonNull(which, "which"),
        checkProbability("survival", probability), tornProbability, tornFills,
        neighbourDamageProbability, directoryChanges, sectorSize, imageConfig);
  }

  /**
   * Sets how surviving writes tear.
   *
   * @param probability the chance that a surviving write is torn, in [0, 1]
   * @param neighbourDamage the chance that a torn sector also loses its bytes outside the write
   *     (a device without power-safe overwrite), in [0, 1]
   * @param fills what torn sectors may hold; not empty
   * @return the new options
   */
  public CrashOptions torn(double probability, double neighbourDamage, Set<TornFill> fills) {
    if (fills.isEmpty()) {
      throw new IllegalArgumentException("fills must not be empty");
    }
    return new CrashOptions(mode, seed, unflushed, survivalProbability,
        checkProbability("torn", probability), Set.copyOf(fills),
        checkProbability("neighbourDamage", neighbourDamage), directoryChanges, sectorSize,
        imageConfig);
  }

  /**
   * Sets which directory changes since the last directory sync survive.
   *
   * @param which keep, revert or a prefix
   * @return the new options
   */
  public CrashOptions directoryChanges(DirectoryChanges which) {
    return new CrashOptions(mode, seed, unflushed, survivalProbability, tornProbability,
        tornFills, neighbourDamageProbability, Objects.requireNonNull(which, "which"),
        sectorSize, imageConfig);
  }

  /**
   * Sets the tear unit for this crash, overriding the {@link FaultyVfs}'s sector size.
   *
   * @param bytes a positive power of two, or 0 for the storage's
   * @return the new options
   */
  public CrashOptions sectorSize(int bytes) {
    if (bytes < 0 || (bytes > 0 && Integer.bitCount(bytes) != 1)) {
      throw new IllegalArgumentException(
          "sectorSize (" + bytes + ") must be 0 or a positive power of two");
    }
    return new CrashOptions(mode, seed, unflushed, survivalProbability, tornProbability,
        tornFills, neighbourDamageProbability, directoryChanges, bytes, imageConfig);
  }

  /**
   * Sets the faults of the {@link FaultyVfs} returned over the image; by default it injects none
   * (with a seed derived from this crash's).
   *
   * @param config the image's configuration
   * @return the new options
   */
  public CrashOptions imageConfig(FaultConfig config) {
    return new CrashOptions(mode, seed, unflushed, survivalProbability, tornProbability,
        tornFills, neighbourDamageProbability, directoryChanges, sectorSize,
        Objects.requireNonNull(config, "config"));
  }

  private static double checkProbability(String what, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " probability (" + p + ") must be in [0, 1]");
    }
    return p;
  }

  @Override
  public String toString() {
    return "CrashOptions{" + mode + ", seed=" + seed + ", unflushed=" + unflushed + " p="
        + survivalProbability + ", torn=" + tornProbability + " " + tornFills + " neighbour="
        + neighbourDamageProbability + ", directory=" + directoryChanges + ", sectorSize="
        + sectorSize + "}";
  }
}
