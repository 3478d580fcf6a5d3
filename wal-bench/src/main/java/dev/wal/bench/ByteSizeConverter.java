package dev.wal.bench;

import picocli.CommandLine;

/**
 * Reads a byte count from the command line: a decimal number with an optional binary suffix
 * {@code k}, {@code m} or {@code g} (any case), for example {@code 4096}, {@code 4k} or {@code 1g}.
 */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /**
   * Parses a byte count.
   *
   * @param value the text
   * @return the count, not negative
   * @throws CommandLine.TypeConversionException if the text is not a size; the message quotes it
   */
  static long parse(String value) {
    String text = value.trim().toLowerCase(java.util.Locale.ROOT);
    int shift = 0;
    if (!text.isEmpty()) {
      switch (text.charAt(text.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        default -> {}
      }
    }
    String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 12) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size (examples: 128, 4k, 64m, 1g)");
    }
    return Long.parseLong(digits) << shift;
  }
}
