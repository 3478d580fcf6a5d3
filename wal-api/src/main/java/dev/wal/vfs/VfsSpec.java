package dev.wal.vfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed spec string: the provider's name, a location and options.
 *
 * <pre>
 * spec     = name ":" location [ "?" options ]
 * location = "(" text ")"          ; parenthesised: may hold "?", for example a nested spec
 *          | text                  ; up to the first "?"
 * options  = key "=" value *( "&amp;" key "=" value )
 * </pre>
 *
 * <p>The options belong to the outermost provider. A provider that wraps another takes a spec as
 * its location; to give the inner one options too, put it in parentheses:
 *
 * <pre>
 * local:/var/lib/app/wal
 * memory:orders-test?maxSize=64m
 * faulty:memory:orders-test?seed=42                 (faulty, over memory:orders-test)
 * faulty:(memory:orders-test?maxSize=64m)?seed=42   (options for both)
 * </pre>
 *
 * <p>The name is matched ignoring case. Keys are letters, digits, {@code .}, {@code _} and {@code
 * -}, starting with a letter; each may appear once. Values are taken as written (no percent
 * decoding) and may not contain {@code &amp;}. Instances are immutable.
 */
public final class VfsSpec {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,126}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  private final String name;
  private final String location;
  private final Map<String, String> options;

  private VfsSpec(String name, String location, Map<String, String> options) {
    this.name = name;
    this.location = location;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * Builds a spec from its parts; used by code that opens storage without a string.
   *
   * @param name the provider name
   * @param location the location, not empty
   * @param options the options, in the order they should print
   * @return the spec
   * @throws IllegalArgumentException if a part is malformed; the message quotes it
   */
  public static VfsSpec of(String name, String location, Map<String, String> options) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(options, "options");
    String normalizedName = checkName(name, name + ":" + location);
    if (location.isEmpty()) {
      throw new IllegalArgumentException("spec '" + name + ":' has an empty location");
    }
    options.forEach((key, value) -> checkOption(key, value, name + ":" + location));
    return new VfsSpec(normalizedName, location, options);
  }

  /**
   * Parses a spec string.
   *
   * @param spec for example {@code faulty:memory:orders?seed=42}
   * @return the parsed spec
   * @throws IllegalArgumentException if the string is malformed; the message quotes it and says
   *     what is wrong
   */
  public static VfsSpec parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    int colon = spec.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "spec '" + spec + "' has no provider name (expected name:location, e.g. memory:test)");
    }
    String name = checkName(spec.substring(0, colon), spec);
    String rest = spec.substring(colon + 1);
    String location;
    String query;
    if (rest.startsWith("(")) {
      int close = matchingParenthesis(rest, spec);
      location = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith("?")) {
        throw new IllegalArgumentException(
            "spec '" + spec + "' has '" + after + "' after the parenthesised location");
      }
      query = after.isEmpty() ? null : after.substring(1);
    } else {
      int question = rest.indexOf('?');
      location = question < 0 ? rest : rest.substring(0, question);
      query = question < 0 ? null : rest.substring(question + 1);
    }
    if (location.isEmpty()) {
      throw new IllegalArgumentException("spec '" + spec + "' has an empty location");
    }
    return new VfsSpec(name, location, parseOptions(query, spec));
  }

  private static int matchingParenthesis(String rest, String spec) {
    int depth = 0;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("spec '" + spec + "' has an unclosed '('");
  }

  private static Map<String, String> parseOptions(String query, String spec) {
    Map<String, String> options = new LinkedHashMap<>();
    if (query == null) {
      return options;
    }
    if (query.isEmpty()) {
      throw new IllegalArgumentException("spec '" + spec + "' has an empty option list after '?'");
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException(
            "spec '" + spec + "' has option '" + pair + "' without '=value'");
      }
      String key = pair.substring(0, equals);
      String value = pair.substring(equals + 1);
      checkOption(key, value, spec);
      if (options.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("spec '" + spec + "' sets option '" + key + "' twice");
      }
    }
    return options;
  }

  private static String checkName(String name, String spec) {
    String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    if (!NAME.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          "spec '"
              + spec
              + "' has provider name '"
              + name
              + "'; a name is ASCII letters and digits, starting with a letter, at most 127");
    }
    return lower;
  }

  private static void checkOption(String key, String value, String spec) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("spec '" + spec + "' has malformed option key '" + key + "'");
    }
    if (value.indexOf('&') >= 0) {
      throw new IllegalArgumentException(
          "spec '" + spec + "' option '" + key + "' has '&' in its value '" + value + "'");
    }
  }

  /** {@return the provider name, in lowercase} */
  public String name() {
    return name;
  }

  /** {@return the location: a path, a name or a nested spec, as the provider reads it} */
  public String location() {
    return location;
  }

  /** {@return the options in the order written; unmodifiable} */
  public Map<String, String> options() {
    return options;
  }

  /**
   * Returns an option's value as written.
   *
   * @param key the option key
   * @return the value, or empty if the spec does not set it
   */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /**
   * Returns an option as a {@code long}.
   *
   * @param key the option key
   * @param defaultValue the value when the spec does not set it
   * @return the value
   * @throws IllegalArgumentException if the value is not a decimal integer; the message names the
   *     key and the value
   */
  public long longOption(String key, long defaultValue) {
    String value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw badValue(key, value, "is not an integer");
    }
  }

  /**
   * Returns an option as a size in bytes: a decimal count with an optional binary suffix {@code
   * k}, {@code m}, {@code g} or {@code t} (any case), for example {@code 4096}, {@code 64k} or
   * {@code 1g}.
   *
   * @param key the option key
   * @param defaultValue the value when the spec does not set it
   * @return the size in bytes, not negative
   * @throws IllegalArgumentException if the value is not a size or overflows a {@code long}; the
   *     message names the key and the value
   */
  public long sizeOption(String key, long defaultValue) {
    String value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    return parseSize(value, key);
  }

  private long parseSize(String value, String key) {
    if (value.isEmpty()) {
      throw badValue(key, value, "is not a size (examples: 4096, 64k, 16m, 1g)");
    }
    int shift = 0;
    String digits = value;
    switch (Character.toLowerCase(value.charAt(value.length() - 1))) {
      case 'k' -> shift = 10;
      case 'm' -> shift = 20;
      case 'g' -> shift = 30;
      case 't' -> shift = 40;
      default -> {}
    }
    if (shift > 0) {
      digits = value.substring(0, value.length() - 1);
    }
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw badValue(key, value, "is not a size (examples: 4096, 64k, 16m, 1g)");
    }
    try {
      long count = Long.parseLong(digits);
      if (count > (Long.MAX_VALUE >> shift)) {
        throw badValue(key, value, "is too large");
      }
      return count << shift;
    } catch (NumberFormatException e) {
      throw badValue(key, value, "is too large");
    }
  }

  /**
   * Returns an option as a boolean: {@code true} or {@code false}, in any case.
   *
   * @param key the option key
   * @param defaultValue the value when the spec does not set it
   * @return the value
   * @throws IllegalArgumentException if the value is neither; the message names the key and value
   */
  public boolean booleanOption(String key, boolean defaultValue) {
    String value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw badValue(key, value, "is not true or false");
  }

  /**
   * Returns an exception for an option value the provider refuses, naming the spec, the key and
   * the value; providers throw it from {@link VfsProvider#open(VfsSpec)}.
   *
   * @param key the option key
   * @param value the refused value
   * @param problem what is wrong, for example {@code "must be at least 4096"}
   * @return the exception to throw
   */
  public IllegalArgumentException badValue(String key, String value, String problem) {
    return new IllegalArgumentException(
        "spec '" + this + "': option " + key + "=" + value + " " + problem);
  }

  /** {@return the spec as a string that {@link #parse(String)} reads back to an equal spec} */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name).append(':');
    boolean parenthesize = location.indexOf('?') >= 0 || location.startsWith("(");
    out.append(parenthesize ? "(" + location + ")" : location);
    char separator = '?';
    for (Map.Entry<String, String> option : options.entrySet()) {
      out.append(separator).append(option.getKey()).append('=').append(option.getValue());
      separator = '&';
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VfsSpec that
        && name.equals(that.name)
        && location.equals(that.location)
        && options.equals(that.options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, location, options);
  }
}
