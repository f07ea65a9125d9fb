package dev.streamfirst.transforms.alert;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.aggregate.SummaryRow;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on one metric of a window's summary that must hold for a number of consecutive
 * windows, written {@code <metric> <op> <number> for <n> windows}: {@code mean > 80 for 3 windows},
 * {@code p99 >= 250 for 1 window}. Metrics are those of {@link SummaryRow#METRICS}; operators
 * {@code >}, {@code >=}, {@code <}, {@code <=}. {@link #toString()} prints the canonical form.
 *
 * <pre>{@code
 * ThresholdRule rule = ThresholdRule.parse("mean > 80 for 3 windows");
 * }</pre>
 */
@AutoValue
public abstract class ThresholdRule implements Serializable {
  private static final Pattern FORM =
      Pattern.compile(
          "\\s*(\\w+)\\s*(>=|<=|>|<)\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s+for\\s+([0-9]{1,6})"
              + "(?:\\s+windows?)?\\s*");

  /** What a valid rule looks like, for messages. */
  public static final String EXAMPLE = "mean > 80 for 3 windows";

  public abstract String metric();

  public abstract String operator();

  public abstract double threshold();

  public abstract int windows();

  /**
   * Parses a rule such as {@code mean > 80 for 3 windows}.
   *
   * @throws IllegalArgumentException saying what is wrong, with a valid example
   */
  public static ThresholdRule parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "rule '" + text + "' is not <metric> <op> <number> for <n> windows, e.g. " + EXAMPLE);
    }
    String metric = m.group(1);
    if (!SummaryRow.METRICS.contains(metric)) {
      throw new IllegalArgumentException(
          "rule '"
              + text
              + "': unknown metric '"
              + metric
              + "'; use one of "
              + String.join(", ", SummaryRow.METRICS)
              + ", e.g. "
              + EXAMPLE);
    }
    int windows = Integer.parseInt(m.group(4));
    if (windows < 1) {
      throw new IllegalArgumentException(
          "rule '" + text + "': needs at least 1 window, e.g. " + EXAMPLE);
    }
    return new AutoValue_ThresholdRule(metric, m.group(2), Double.parseDouble(m.group(3)), windows);
  }

  /** Whether a window's row meets the condition; an empty pane never does. */
  public boolean test(SummaryRow row) {
    if (row.summary().stats().count() == 0) {
      return false;
    }
    double value = row.metric(metric());
    return switch (operator()) {
      case ">" -> value > threshold();
      case ">=" -> value >= threshold();
      case "<" -> value < threshold();
      default -> value <= threshold();
    };
  }

  @Override
  public final String toString() {
    return metric()
        + " "
        + operator()
        + " "
        + BigDecimal.valueOf(threshold()).stripTrailingZeros().toPlainString()
        + " for "
        + windows()
        + (windows() == 1 ? " window" : " windows");
  }
}
