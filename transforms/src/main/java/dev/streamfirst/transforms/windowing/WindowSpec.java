package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.CalendarWindows;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.DateTimeZone;
import org.joda.time.Duration;

/**
 * How events are grouped in event time, written the way a command line says it: {@code fixed:60s},
 * {@code sliding:5m/1m} (size/period), {@code session:30s} (gap), {@code calendar:1d@Europe/Paris}
 * (whole days from local midnight in a time zone, UTC when none is given) or {@code global} (one
 * window for all time). {@link #toString()} prints the same form, so a spec survives a round trip
 * through options, logs and templates.
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
    SESSION("session:<gap>", "session:30s"),
    CALENDAR("calendar:<days>d[@<time zone>]", "calendar:1d@Europe/Paris"),
    GLOBAL("global", "global");

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
      // The kind is read in any case (FIXED:1m), the durations as written.
      "(?i:fixed|session):"
          + Durations.PATTERN
          + "|(?i:sliding):"
          + Durations.PATTERN
          + "/"
          + Durations.PATTERN
          + "|(?i:calendar):[0-9]+d(@[A-Za-z0-9_+/-]+)?"
          + "|(?i:global)";

  /** Every valid form with an example, for error messages. */
  public static final String FORMS =
      Arrays.stream(Kind.values())
          .map(k -> k.form + " (e.g. " + k.example + ")")
          .collect(Collectors.joining(", "));

  public abstract Kind kind();

  /**
   * Window size for fixed, sliding and calendar windows; the gap for sessions; zero for the global
   * window.
   */
  public abstract Duration size();

  /** How often a sliding window starts; equal to {@link #size()} for other kinds. */
  public abstract Duration period();

  /** The time zone whose midnight starts calendar windows; UTC for every other kind. */
  public abstract String zone();

  private static final String UTC = "UTC";

  public static WindowSpec fixed(Duration size) {
    checkPositive("fixed window size", size);
    return new AutoValue_WindowSpec(Kind.FIXED, size, size, UTC);
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
    return new AutoValue_WindowSpec(Kind.SLIDING, size, period, UTC);
  }

  public static WindowSpec session(Duration gap) {
    checkPositive("session gap", gap);
    return new AutoValue_WindowSpec(Kind.SESSION, gap, gap, UTC);
  }

  /**
   * Windows of {@code days} whole days, each starting at midnight in {@code zone} (an IANA id such
   * as {@code Europe/Paris}, or {@code UTC}); a day is 23 or 25 hours long where the zone changes
   * its clocks.
   */
  public static WindowSpec calendarDays(int days, String zone) {
    if (days < 1) {
      throw new IllegalArgumentException("calendar windows must be at least 1 day, got " + days);
    }
    String id;
    try {
      id = DateTimeZone.forID(zone).getID();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown time zone '" + zone + "'; use an IANA id such as Europe/Paris, or UTC");
    }
    Duration size = Duration.standardDays(days);
    return new AutoValue_WindowSpec(Kind.CALENDAR, size, size, id);
  }

  /** One window for all time: results come from early firings or at the end of the input. */
  public static WindowSpec global() {
    return new AutoValue_WindowSpec(Kind.GLOBAL, Duration.ZERO, Duration.ZERO, UTC);
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
    if (kindText.equalsIgnoreCase(Kind.GLOBAL.prefix())) {
      if (colon >= 0) {
        throw new IllegalArgumentException(
            "window '" + text + "': the global window takes no duration; write global");
      }
      return global();
    }
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
      return switch (kind) {
        case FIXED -> fixed(Durations.parse(args));
        case SESSION -> session(Durations.parse(args));
        case CALENDAR -> parseCalendar(args);
        case SLIDING -> parseSliding(args, kind);
        case GLOBAL -> throw new IllegalArgumentException("global windows take no arguments");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "window '" + text + "': " + e.getMessage() + "; e.g. " + kind.example, e);
    }
  }

  private static WindowSpec parseSliding(String args, Kind kind) {
    int slash = args.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "a sliding window needs a size and a period: " + kind.form);
    }
    return sliding(
        Durations.parse(args.substring(0, slash)), Durations.parse(args.substring(slash + 1)));
  }

  private static WindowSpec parseCalendar(String args) {
    int at = args.indexOf('@');
    String daysText = (at < 0 ? args : args.substring(0, at)).trim();
    String zone = at < 0 ? UTC : args.substring(at + 1).trim();
    if (!daysText.matches("\\d{1,4}d")) {
      throw new IllegalArgumentException(
          "calendar windows are whole days, written like 1d or 7d, got '" + daysText + "'");
    }
    return calendarDays(Integer.parseInt(daysText.substring(0, daysText.length() - 1)), zone);
  }

  /** The Beam {@link WindowFn} for this spec. */
  public WindowFn<Object, ? extends BoundedWindow> toWindowFn() {
    return switch (kind()) {
      case FIXED -> FixedWindows.of(size());
      case SLIDING -> SlidingWindows.of(size()).every(period());
      case SESSION -> Sessions.withGapDuration(size());
      case CALENDAR ->
          CalendarWindows.days((int) size().getStandardDays())
              .withTimeZone(DateTimeZone.forID(zone()));
      case GLOBAL -> new GlobalWindows();
    };
  }

  /** Whether windows merge (sessions), so that a window is known only once it has closed. */
  public boolean isMerging() {
    return kind() == Kind.SESSION;
  }

  @Override
  public final String toString() {
    return switch (kind()) {
      case FIXED, SESSION -> kind().prefix() + ":" + Durations.format(size());
      case SLIDING ->
          kind().prefix() + ":" + Durations.format(size()) + "/" + Durations.format(period());
      case CALENDAR -> {
        String days = kind().prefix() + ":" + size().getStandardDays() + "d";
        yield zone().equals(UTC) ? days : days + "@" + zone();
      }
      case GLOBAL -> kind().prefix();
    };
  }

  private static void checkPositive(String what, Duration d) {
    if (d == null || d.getMillis() <= 0) {
      throw new IllegalArgumentException(
          what + " must be positive, got " + (d == null ? "null" : Durations.format(d)));
    }
  }
}
