package dev.wal.vfs.faulty;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When to fail an operation, and how. Immutable: every method returns a new rule.
 *
 * <pre>{@code
 * FaultRule.failOn(OpKind.WRITE).onCall(3)                        // the 3rd write fails, once
 * FaultRule.failOn(OpKind.FLUSH).files("*.seg").onCall(2).persistent() // 2nd and later flushes
 * FaultRule.failOn(OpKind.READ, OpKind.WRITE).withProbability(0.01)
 * FaultRule.failOn(OpKind.RENAME).afterOperation()                // renames, then reports failure
 * FaultRule.failOn(OpKind.WRITE).outOfSpace()                     // OutOfSpaceException
 * }</pre>
 *
 * <p>A rule counts the calls it matches (of its kinds, on files whose current name its pattern
 * matches, also through a handle opened under an earlier name; operations
 * that name no file, {@code LIST} and {@code SYNC_DIRECTORY}, match only a rule without a
 * pattern). With {@link #onCall(long)} it fires on the N-th such call; with {@link
 * #withProbability(double)} it fires on each with that probability, drawn from the {@link
 * FaultyVfs}'s seed, the rule's position, the file's name and the rule's count of calls on that
 * file, so that which call on a file fails does not depend on how threads interleave on other
 * files. A {@link #once()} rule fires at most once (the default); a {@link #persistent()} one
 * fails every matching call from its first firing on.
 */
public final class FaultRule {
  /** What an injected failure throws. */
  enum Failure {
    IO,
    OUT_OF_SPACE
  }

  private final Set<OpKind> kinds;
  private final Pattern files;
  private final long nthCall;
  private final double probability;
  private final boolean persistent;
  private final boolean afterOperation;
  private final Failure failure;

  private FaultRule(
      Set<OpKind> kinds,
      Pattern files,
      long nthCall,
      double probability,
      boolean persistent,
      boolean afterOperation,
      Failure failure) {
    this.kinds = kinds;
    this.files = files;
    this.nthCall = nthCall;
    this.probability = probability;
    this.persistent = persistent;
    this.afterOperation = afterOperation;
    this.failure = failure;
  }

  /**
   * Starts a rule that fails the first matching call of these kinds, once, before it happens.
   *
   * @param first an operation kind
   * @param more further kinds
   * @return the rule
   * @throws IllegalArgumentException if a kind is {@link OpKind#MARK}
   */
  public static FaultRule failOn(OpKind first, OpKind... more) {
    Set<OpKind> kinds = EnumSet.of(first, more);
    if (kinds.contains(OpKind.MARK)) {
      throw new IllegalArgumentException("a MARK is not an operation and cannot fail");
    }
    return new FaultRule(Set.copyOf(kinds), null, 1, 0, false, false, Failure.IO);
  }

  /**
   * Fires on the N-th matching call (counted from 1).
   *
   * @param n the call to fail, at least 1
   * @return the new rule
   */
  public FaultRule onCall(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("n (" + n + ") must be at least 1");
    }
    return new FaultRule(kinds, files, n, 0, persistent, afterOperation, failure);
  }

  /**
   * Fires on each matching call with this probability instead of on the N-th call.
   *
   * @param p the probability, in (0, 1]
   * @return the new rule
   */
  public FaultRule withProbability(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("probability (" + p + ") must be in (0, 1]");
    }
    return new FaultRule(kinds, files, 0, p, persistent, afterOperation, failure);
  }

  /**
   * Matches only files whose name matches a glob ({@code *} any run of characters, {@code ?} one
   * character).
   *
   * @param glob for example {@code "*.seg"}
   * @return the new rule
   */
  public FaultRule files(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return filesMatching(Pattern.compile(regex.toString()));
  }

  /**
   * Matches only files whose whole name matches a regular expression.
   *
   * @param regex the pattern
   * @return the new rule
   */
  public FaultRule filesMatching(Pattern regex) {
    Objects.requireNonNull(regex, "regex");
    return new FaultRule(kinds, regex, nthCall, probability, persistent, afterOperation, failure);
  }

  /** {@return a rule that fires at most once (the default)} */
  public FaultRule once() {
    return new FaultRule(kinds, files, nthCall, probability, false, afterOperation, failure);
  }

  /** {@return a rule that, once it has fired, fails every later matching call} */
  public FaultRule persistent() {
    return new FaultRule(kinds, files, nthCall, probability, true, afterOperation, failure);
  }

  /**
   * {@return a rule that lets the operation really happen, then throws: the caller cannot tell
   * whether it took effect}
   */
  public FaultRule afterOperation() {
    return new FaultRule(kinds, files, nthCall, probability, persistent, true, failure);
  }

  /**
   * {@return a rule that throws {@link InjectedOutOfSpaceException} instead of {@link
   * InjectedIOException}}
   */
  public FaultRule outOfSpace() {
    return new FaultRule(kinds, files, nthCall, probability, persistent, afterOperation,
        Failure.OUT_OF_SPACE);
  }

  boolean matches(OpKind kind, String file) {
    if (!kinds.contains(kind)) {
      return false;
    }
    if (files == null) {
      return true;
    }
    return file != null && files.matcher(file).matches();
  }

  long nthCall() {
    return nthCall;
  }

  double probability() {
    return probability;
  }

  boolean isPersistent() {
    return persistent;
  }

  boolean isAfterOperation() {
    return afterOperation;
  }

  Failure failure() {
    return failure;
  }

  @Override
  public String toString() {
    return "failOn"
        + kinds
        + (files == null ? "" : " files~/" + files + "/")
        + (nthCall > 0 ? " call #" + nthCall : " p=" + probability)
        + (persistent ? " persistent" : " once")
        + (afterOperation ? " after" : "")
        + (failure == Failure.OUT_OF_SPACE ? " out-of-space" : "");
  }
}
