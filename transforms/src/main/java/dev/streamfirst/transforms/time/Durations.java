package dev.streamfirst.transforms.time;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Reads and writes the short durations used on command lines: {@code 250ms}, {@code 30s}, {@code
 * 5m}, {@code 2h}, {@code 1d}.
 *
 * <pre>{@code
 * Duration ttl = Durations.parse("10m");
 * }</pre>
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** A regular expression that every valid duration matches, e.g. for form validation. */
  public static final String PATTERN = "[0-9]+(ms|s|m|h|d)";

  /** What a valid duration looks like, for error messages. */
  public static final String EXAMPLES = "250ms, 30s, 5m, 2h or 1d";

  private Durations() {}

  /**
   * Parses a duration such as {@code 30s}.
   *
   * @throws IllegalArgumentException naming the text and the valid forms
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required, e.g. " + EXAMPLES);
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use a whole number and a unit, e.g. " + EXAMPLES);
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
    try {
      return switch (m.group(2)) {
        case "ms" -> Duration.millis(amount);
        case "s" -> Duration.standardSeconds(amount);
        case "m" -> Duration.standardMinutes(amount);
        case "h" -> Duration.standardHours(amount);
        default -> Duration.standardDays(amount);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
  }

  /**
   * The shortest exact text for a duration; for one that is zero or positive, {@code
   * parse(format(d))} equals {@code d}.
   */
  public static String format(Duration duration) {
    long ms = duration.getMillis();
    if (ms != 0) {
      long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
      String[] names = {"d", "h", "m", "s"};
      for (int i = 0; i < units.length; i++) {
        if (ms % units[i] == 0) {
          return (ms / units[i]) + names[i];
        }
      }
    }
    return ms + "ms";
  }
}
