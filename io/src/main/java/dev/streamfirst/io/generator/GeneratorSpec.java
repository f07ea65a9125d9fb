package dev.streamfirst.io.generator;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What the event generator produces, as written in a {@code generator://events?...} URI.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>parameter</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code count=N}</td><td>distinct messages; re-delivered copies come on top</td>
 *       <td>none; unbounded if {@code rate} is given</td></tr>
 *   <tr><td>{@code rate=R}</td><td>messages per wall-clock second; makes the source unbounded
 *       </td><td>none: bounded, as fast as possible</td></tr>
 *   <tr><td>{@code seed=S}</td><td>any whole number; same seed, same messages</td>
 *       <td>42</td></tr>
 *   <tr><td>{@code keys=K}</td><td>keys {@code key-0} .. {@code key-(K-1)}</td><td>10</td></tr>
 *   <tr><td>{@code duplicates=F}</td><td>fraction re-delivered once, 1 to 3 positions later</td>
 *       <td>0</td></tr>
 *   <tr><td>{@code disorder=D}</td><td>each event time is moved back by up to D</td>
 *       <td>0s</td></tr>
 *   <tr><td>{@code late=F}</td><td>fraction that arrives behind the watermark</td>
 *       <td>0</td></tr>
 *   <tr><td>{@code lateBy=D}</td><td>how far behind the watermark late events are</td>
 *       <td>1m</td></tr>
 *   <tr><td>{@code malformed=F}</td><td>fraction replaced by a payload that is not a valid event
 *       </td><td>0</td></tr>
 *   <tr><td>{@code start=ISO}</td><td>event time of message 0</td>
 *       <td>2026-01-01T00:00:00Z; with {@code rate}, the time the URI was parsed</td></tr>
 *   <tr><td>{@code interval=D}</td><td>event time between consecutive messages</td>
 *       <td>10ms; with {@code rate}, 1/rate</td></tr>
 * </table>
 *
 * <p>Fractions are in [0, 1]; durations as {@code 250ms}, {@code 30s}, {@code 5m}. {@link #toUri()}
 * prints every parameter, so a spec whose defaults were taken from the clock can be logged and
 * replayed exactly.
 *
 * <pre>{@code
 * GeneratorSpec spec = GeneratorSpec.parse("generator://events?count=1000&duplicates=0.05");
 * List<String> expected = new EventGenerator(spec).payloads();
 * }</pre>
 */
@AutoValue
public abstract class GeneratorSpec implements Serializable {
  /** The URI scheme of the generator. */
  public static final String SCHEME = "generator";

  /** The only generator there is: the canonical events. */
  public static final String EVENTS = "events";

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "generator://events?count=1000";

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_KEYS = 10;
  public static final Duration DEFAULT_INTERVAL = Duration.millis(10);
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
  public static final Duration DEFAULT_LATE_BY = Duration.standardMinutes(1);

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final double NANOS_PER_SECOND = 1e9;
  private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern WHOLE = Pattern.compile("-?\\d+");

  /** Every parameter with an example value, in the order {@link #toUri()} prints them. */
  private static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

  static {
    PARAMETERS.put("count", "1000");
    PARAMETERS.put("rate", "100");
    PARAMETERS.put("seed", "7");
    PARAMETERS.put("keys", "10");
    PARAMETERS.put("duplicates", "0.05");
    PARAMETERS.put("disorder", "5s");
    PARAMETERS.put("late", "0.01");
    PARAMETERS.put("lateBy", "1m");
    PARAMETERS.put("malformed", "0.01");
    PARAMETERS.put("start", "2026-01-01T00:00:00Z");
    PARAMETERS.put("interval", "10ms");
  }

  public abstract long seed();

  /** Distinct messages to generate; null for an endless (rate-paced) stream. */
  public abstract @Nullable Long count();

  /** Messages per wall-clock second; null for a bounded source that runs as fast as it can. */
  public abstract @Nullable Double rate();

  public abstract int keys();

  public abstract double duplicates();

  public abstract Duration disorder();

  public abstract double late();

  public abstract Duration lateBy();

  public abstract double malformed();

  /** Event time of message 0 (before disorder). */
  public abstract Instant start();

  /**
   * Event time between consecutive messages, in nanoseconds so that {@code 1/rate} is kept exactly
   * enough for high rates; event times themselves are whole milliseconds, rounded down.
   */
  public abstract long intervalNanos();

  public abstract Builder toBuilder();

  /** True when the source is unbounded: paced by {@link #rate()}, maybe stopped by a count. */
  public boolean isUnbounded() {
    return rate() != null;
  }

  /** A builder with every default set; give it a count or a rate. */
  public static Builder builder() {
    return new AutoValue_GeneratorSpec.Builder()
        .setSeed(DEFAULT_SEED)
        .setKeys(DEFAULT_KEYS)
        .setDuplicates(0)
        .setDisorder(Duration.ZERO)
        .setLate(0)
        .setLateBy(DEFAULT_LATE_BY)
        .setMalformed(0);
  }

  /** Builds a spec in code; {@link #build()} checks it as strictly as a URI. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSeed(long seed);

    public abstract Builder setCount(@Nullable Long count);

    public abstract Builder setRate(@Nullable Double rate);

    public abstract Builder setKeys(int keys);

    public abstract Builder setDuplicates(double fraction);

    public abstract Builder setDisorder(Duration disorder);

    public abstract Builder setLate(double fraction);

    public abstract Builder setLateBy(Duration lateBy);

    public abstract Builder setMalformed(double fraction);

    public abstract Builder setStart(Instant start);

    public abstract Builder setIntervalNanos(long intervalNanos);

    public Builder setInterval(Duration interval) {
      if (interval == null) {
        throw invalid("interval", "must be a duration, got null");
      }
      try {
        return setIntervalNanos(Math.multiplyExact(interval.getMillis(), NANOS_PER_MILLI));
      } catch (ArithmeticException e) {
        throw invalid("interval", "is too large, got " + Durations.format(interval));
      }
    }

    abstract @Nullable Long count();

    abstract @Nullable Double rate();

    abstract Optional<Instant> start();

    abstract Optional<Long> intervalNanos();

    abstract GeneratorSpec autoBuild();

    /**
     * Fills the rate-dependent defaults (start = now, interval = 1/rate) and checks every value.
     *
     * @throws IllegalArgumentException naming the parameter and showing a valid example
     */
    public GeneratorSpec build() {
      Double rate = rate();
      if (rate != null) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
          throw invalid("rate", "must be a positive number of messages per second, got " + rate);
        }
        if (!intervalNanos().isPresent()) {
          setIntervalNanos(Math.round(NANOS_PER_SECOND / rate));
        }
        if (!start().isPresent()) {
          // An endless stream is about now: its event times should track the wall clock.
          setStart(Instant.now());
        }
      } else {
        if (count() == null) {
          throw new IllegalArgumentException(
              "the generator needs count=N (bounded) or rate=R (unbounded, per second); e.g. "
                  + EXAMPLE
                  + " or generator://events?rate=100");
        }
        if (!intervalNanos().isPresent()) {
          setIntervalNanos(DEFAULT_INTERVAL.getMillis() * NANOS_PER_MILLI);
        }
        if (!start().isPresent()) {
          setStart(DEFAULT_START);
        }
      }
      GeneratorSpec spec = autoBuild();
      spec.validate();
      return spec;
    }
  }

  /**
   * Parses {@code generator://events?count=1000&seed=7}.
   *
   * @throws IllegalArgumentException naming the wrong part and showing a valid example
   */
  public static GeneratorSpec parse(String uri) {
    return fromUri(IoUri.parse(uri));
  }

  /** Reads a spec from an already split URI; see {@link #parse(String)}. */
  public static GeneratorSpec fromUri(IoUri uri) {
    if (!SCHEME.equals(uri.scheme())) {
      throw new IllegalArgumentException(
          "expected a generator: URI, got scheme '" + uri.scheme() + "' in '" + uri + "'");
    }
    String path = uri.path();
    if (!uri.hasAuthority()
        || !EVENTS.equals(uri.authority())
        || !(path.isEmpty() || path.equals("/"))) {
      throw new IllegalArgumentException(
          "unknown generator '"
              + uri.body().replaceFirst("\\?.*", "")
              + "' in '"
              + uri
              + "'; use generator://events?<parameters>, e.g. "
              + EXAMPLE);
    }
    try {
      Builder builder = builder();
      for (Map.Entry<String, String> parameter : uri.queryParameters().entrySet()) {
        apply(builder, parameter.getKey(), parameter.getValue());
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': " + e.getMessage(), e);
    }
  }

  /** This spec as a URI with every parameter spelled out; {@code parse(toUri())} equals it. */
  public String toUri() {
    StringBuilder uri = new StringBuilder(SCHEME).append("://").append(EVENTS).append('?');
    if (count() != null) {
      uri.append("count=").append(count()).append('&');
    }
    if (rate() != null) {
      uri.append("rate=").append(plain(rate())).append('&');
    }
    uri.append("seed=").append(seed());
    uri.append("&keys=").append(keys());
    uri.append("&duplicates=").append(plain(duplicates()));
    uri.append("&disorder=").append(Durations.format(disorder()));
    uri.append("&late=").append(plain(late()));
    uri.append("&lateBy=").append(Durations.format(lateBy()));
    uri.append("&malformed=").append(plain(malformed()));
    uri.append("&start=").append(start());
    if (intervalNanos() % NANOS_PER_MILLI == 0) {
      uri.append("&interval=")
          .append(Durations.format(Duration.millis(intervalNanos() / NANOS_PER_MILLI)));
    }
    // A sub-millisecond interval can only have come from the rate, which re-derives it.
    return uri.toString();
  }

  private void validate() {
    Long count = count();
    if (count != null && count <= 0) {
      throw invalid("count", "must be a positive whole number, got " + count);
    }
    if (keys() <= 0) {
      throw invalid("keys", "must be a positive whole number, got " + keys());
    }
    checkFraction("duplicates", duplicates());
    checkFraction("late", late());
    checkFraction("malformed", malformed());
    if (disorder().getMillis() < 0) {
      throw invalid("disorder", "must not be negative, got " + disorder());
    }
    if (lateBy().getMillis() <= 0) {
      throw invalid("lateBy", "must be positive, got " + Durations.format(lateBy()));
    }
    if (intervalNanos() <= 0) {
      throw rate() != null && intervalNanos() == 0
          ? invalid("rate", "must be at most 1e9 messages per second, got " + plain(rate()))
          : invalid("interval", "must be positive, got " + intervalNanos() + "ns");
    }
    if (count != null) {
      // The last event must still have a representable time, so no runner meets an overflow.
      BigInteger lastOffsetMillis =
          BigInteger.valueOf(count - 1)
              .multiply(BigInteger.valueOf(intervalNanos()))
              .divide(BigInteger.valueOf(NANOS_PER_MILLI));
      BigInteger last = lastOffsetMillis.add(BigInteger.valueOf(start().getMillis()));
      if (last.compareTo(BigInteger.valueOf(BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis())) > 0) {
        throw invalid(
            "count", "times interval runs past the end of time; use fewer or closer events");
      }
    }
  }

  private static void apply(Builder builder, String name, String value) {
    switch (name) {
      case "count":
        builder.setCount(parsePositiveLong(name, value));
        break;
      case "rate":
        builder.setRate(parseDecimal(name, value, "a positive number of messages per second"));
        break;
      case "seed":
        if (!WHOLE.matcher(value).matches()) {
          throw invalid(name, "must be a whole number, got '" + value + "'");
        }
        try {
          builder.setSeed(Long.parseLong(value));
        } catch (NumberFormatException e) {
          throw invalid(name, "is too large, got '" + value + "'");
        }
        break;
      case "keys":
        long keys = parsePositiveLong(name, value);
        if (keys > Integer.MAX_VALUE) {
          throw invalid(name, "is too large, got '" + value + "'");
        }
        builder.setKeys((int) keys);
        break;
      case "duplicates":
        builder.setDuplicates(parseDecimal(name, value, "a fraction in [0, 1]"));
        break;
      case "late":
        builder.setLate(parseDecimal(name, value, "a fraction in [0, 1]"));
        break;
      case "malformed":
        builder.setMalformed(parseDecimal(name, value, "a fraction in [0, 1]"));
        break;
      case "disorder":
        builder.setDisorder(parseDuration(name, value));
        break;
      case "lateBy":
        builder.setLateBy(parseDuration(name, value));
        break;
      case "interval":
        builder.setInterval(parseDuration(name, value));
        break;
      case "start":
        try {
          builder.setStart(new Instant(OffsetDateTime.parse(value).toInstant().toEpochMilli()));
        } catch (DateTimeParseException | ArithmeticException e) {
          throw invalid(name, "must be an ISO-8601 instant with an offset, got '" + value + "'");
        }
        break;
      default:
        throw new IllegalArgumentException(
            "unknown generator parameter '"
                + name
                + "'; known: "
                + String.join(", ", PARAMETERS.keySet())
                + "; e.g. "
                + EXAMPLE
                + "&seed=7");
    }
  }

  private static long parsePositiveLong(String name, String value) {
    if (!WHOLE.matcher(value).matches()) {
      throw invalid(name, "must be a positive whole number, got '" + value + "'");
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid(name, "is too large, got '" + value + "'");
    }
    if (parsed <= 0) {
      throw invalid(name, "must be a positive whole number, got '" + value + "'");
    }
    return parsed;
  }

  private static double parseDecimal(String name, String value, String what) {
    if (!DECIMAL.matcher(value).matches()) {
      throw invalid(name, "must be " + what + ", got '" + value + "'");
    }
    return Double.parseDouble(value);
  }

  private static Duration parseDuration(String name, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw invalid(
          name, "must be a duration such as " + Durations.EXAMPLES + ", got '" + value + "'");
    }
  }

  private static void checkFraction(String name, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw invalid(name, "must be a fraction in [0, 1], got " + plain(fraction));
    }
  }

  private static IllegalArgumentException invalid(String name, String problem) {
    return new IllegalArgumentException(
        "generator parameter '" + name + "' " + problem + "; e.g. " + example(name));
  }

  private static String example(String name) {
    String value = PARAMETERS.get(name);
    if (name.equals("count")) {
      return "generator://events?count=" + value;
    }
    if (name.equals("rate")) {
      return "generator://events?rate=" + value;
    }
    return EXAMPLE + "&" + name + "=" + value;
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
