package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.Duration;

/**
 * How events are grouped in event time, written the way a command line says it: {@code fixed:60s},
 * {@code sliding:5m/1m} (size/period) or {@code session:30s} (gap). {@link #toString()} prints the
 * same form, so a spec survives a round trip through options, logs and templates.
 *
 * <pre>{@code
 * WindowSpec spec = WindowSpec.parse("sliding:5m/1m");
 * events.apply(Window.into(spec.toWindowFn()));
 * }</pre>
 */
@AutoValue
public abstract class WindowSpec implements Serializable {

  /** The kinds of window, with the form each takes. */
  public enum Kind {
    FIXED("fixed:<size>", "fixed:60s"),
    SLIDING("sliding:<size>/<period>", "sliding:5m/1m"),
    SESSION("session:<gap>", "session:30s");

    private final String form;
    private final String example;

    Kind(String form, String example) {
      this.form = form;
      this.example = example;
    }

    /** A valid spec of this kind. */
    public String example() {
      return example;
    }

    public String prefix() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A regular expression that every valid spec matches, e.g. for form validation; {@link #parse}
   * has the last word (it also checks, say, that a sliding period does not exceed its size).
   */
  public static final String PATTERN =
      "(fixed|session):"
          + Durations.PATTERN
          + "|sliding:"
          + Durations.PATTERN
          + "/"
          + Durations.PATTERN;

  /** Every valid form with an example, for error messages. */
  public static final String FORMS =
      Arrays.stream(Kind.values())
          .map(k -> k.form + " (e.g. " + k.example + ")")
          .collect(Collectors.joining(", "));

  public abstract Kind kind();

  /** Window size for fixed and sliding windows; the gap for sessions. */
  public abstract Duration size();

  /** How often a sliding window starts; equal to {@link #size()} for other kinds. */
  public abstract Duration period();

  public static WindowSpec fixed(Duration size) {
    checkPositive("fixed window size", size);
    return new AutoValue_WindowSpec(Kind.FIXED, size, size);
  }

  public static WindowSpec sliding(Duration size, Duration period) {
    checkPositive("sliding window size", size);
    checkPositive("sliding window period", period);
    if (period.isLongerThan(size)) {
      throw new IllegalArgumentException(
          "a sliding window's period must not exceed its size (events would fall between"
              + " windows), got size "
              + Durations.format(size)
              + " and period "
              + Durations.format(period));
    }
    return new AutoValue_WindowSpec(Kind.SLIDING, size, period);
  }

  public static WindowSpec session(Duration gap) {
    checkPositive("session gap", gap);
    return new AutoValue_WindowSpec(Kind.SESSION, gap, gap);
  }

  /**
   * Parses a spec such as {@code fixed:60s}.
   *
   * @throws IllegalArgumentException naming what is wrong and listing the valid forms
   */
  public static WindowSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a window is required; valid forms: " + FORMS);
    }
    int colon = text.indexOf(':');
    String kindText = colon < 0 ? text.trim() : text.substring(0, colon).trim();
    Kind kind =
        Arrays.stream(Kind.values())
            .filter(k -> k.prefix().equals(kindText.toLowerCase(Locale.ROOT)))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown window kind '" + kindText + "'; valid forms: " + FORMS));
    if (colon < 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "window '" + text + "' lacks its duration; use " + kind.form + ", e.g. " + kind.example);
    }
    String args = text.substring(colon + 1).trim();
    try {
      switch (kind) {
        case FIXED:
          return fixed(Durations.parse(args));
        case SESSION:
          return session(Durations.parse(args));
        default:
          int slash = args.indexOf('/');
          if (slash < 0) {
            throw new IllegalArgumentException(
                "a sliding window needs a size and a period: " + kind.form);
          }
          return sliding(
              Durations.parse(args.substring(0, slash)),
              Durations.parse(args.substring(slash + 1)));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "window '" + text + "': " + e.getMessage() + "; e.g. " + kind.example, e);
    }
  }

  /** The Beam {@link WindowFn} for this spec. */
  public WindowFn<Object, ? extends BoundedWindow> toWindowFn() {
    switch (kind()) {
      case FIXED:
        return FixedWindows.of(size());
      case SLIDING:
        return SlidingWindows.of(size()).every(period());
      default:
        return Sessions.withGapDuration(size());
    }
  }

  @Override
  public final String toString() {
    switch (kind()) {
      case SLIDING:
        return kind().prefix() + ":" + Durations.format(size()) + "/" + Durations.format(period());
      default:
        return kind().prefix() + ":" + Durations.format(size());
    }
  }

  private static void checkPositive(String what, Duration d) {
    if (d == null || d.getMillis() <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
