package dev.wal.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wal.vfs.testkit.TestSeed;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * File names and spec strings put together at random from the pieces that matter at their edges
 * (separators, dots, control characters, lone surrogates, long runs, the spec grammar's
 * punctuation): a short seeded property test, without a fuzzer. Set {@code -Dwal.tests.seed=...}
 * to replay one.
 */
class HostileInputPropertyTest {
  private static final int RUNS = 5000;

  private static final String[] NAME_PIECES = {
    "a", "Z", "0", ".", "..", "/", "\\", "\0", "\n", "\u007f", "\u009f", " ", "-", "\u00e9",
    "\ud83d\ude00", "\ud83d", "\ude00", "x".repeat(100), "\u00e9".repeat(60),
  };

  private static final String[] SPEC_PIECES = {
    "memory", "faulty", "local", "m", "9", ":", ":", "(", ")", "?", "?", "=", "=", "&", "a",
    "maxSize", "seed", "1", "64m", "-", ".", "_", "/", " ", "\u00e9", "%", "\0", "x".repeat(70),
  };

  @Test
  void aRandomNameIsAcceptedUnchangedExactlyWhenPlainAndOtherwiseRefusedQuotingIt() {
    long seed = TestSeed.seed();
    SplittableRandom random = new SplittableRandom(seed);
    int refused = 0;
    for (int run = 0; run < RUNS; run++) {
      String name = pieces(random, NAME_PIECES, 6);
      try {
        boolean plain = isPlain(name);
        try {
          assertThat(AbstractVfs.checkName(name)).as("plain %s", plain).isSameAs(name);
          assertThat(plain).as("accepted").isTrue();
        } catch (IllegalArgumentException e) {
          refused++;
          assertThat(plain).as("refused: %s", e.getMessage()).isFalse();
          assertThat(quotes(e.getMessage(), name)).as("quotes it: %s", e.getMessage()).isTrue();
          assertThat(e.getMessage().chars().noneMatch(Character::isISOControl))
              .as("printable").isTrue();
        }
      } catch (AssertionError | RuntimeException e) {
        throw TestSeed.withSeed(
            new AssertionError("name \"" + shown(name) + "\": " + shown(e.getMessage()), e),
            HostileInputPropertyTest.class, seed);
      }
    }
    assertThat(refused).as("seed %d", seed).isBetween(1, RUNS - 1);
  }

  @Test
  void aRandomSpecStringParsesBackEqualOrIsRefusedQuotingIt() {
    long seed = TestSeed.seed();
    SplittableRandom random = new SplittableRandom(seed);
    int parsed = 0;
    for (int run = 0; run < RUNS; run++) {
      String text = pieces(random, SPEC_PIECES, 10);
      try {
        VfsSpec spec;
        try {
          spec = VfsSpec.parse(text);
        } catch (IllegalArgumentException e) {
          assertThat(e).hasMessageContaining("'" + text + "'");
          continue;
        }
        parsed++;
        assertThat(VfsSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(spec.name()).matches("[a-z][a-z0-9]*");
        assertThat(spec.location()).isNotEmpty();
      } catch (AssertionError | RuntimeException e) {
        throw TestSeed.withSeed(
            new AssertionError("spec \"" + shown(text) + "\": " + shown(e.getMessage()), e),
            HostileInputPropertyTest.class, seed);
      }
    }
    assertThat(parsed).as("seed %d", seed).isBetween(1, RUNS - 1);
  }

  private static String pieces(SplittableRandom random, String[] pieces, int most) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(most + 1); i > 0; i--) {
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.toString();
  }

  /** The rule, written again from the contract: what {@link Vfs} calls a plain name. */
  private static boolean isPlain(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return name.getBytes(StandardCharsets.UTF_8).length <= 255;
  }

  private static boolean quotes(String message, String name) {
    if (name.isEmpty()) {
      return message.contains("empty");
    }
    return message.contains(escaped(name));
  }

  /** {@return the text with control characters as {@code \\uXXXX} escapes} */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(
        Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }

  /** {@return the text with control characters and surrogates as escapes, for messages} */
  private static String shown(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(
        Character.isISOControl(c) || Character.isSurrogate((char) c)
            ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }
}
