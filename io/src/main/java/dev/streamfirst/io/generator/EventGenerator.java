package dev.streamfirst.io.generator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The generator's output as plain functions of the spec and a position: no Beam, no clock, no
 * shared random state. Message {@code i} is the same on every runner, in every split and on every
 * replay, so tests and benchmarks can compute what a pipeline was given.
 *
 * <p>Message {@code i} is {@code {"id":"e-<i>","key":"key-<k>","ts":"<ISO-8601 UTC>","value":<v>}}
 * with {@code k} in {@code [0, keys)} and {@code v} in {@code [0, 100)} with at most two decimals.
 * Its event time is {@code start + i * interval}, moved back by a random amount in {@code [0,
 * disorder]}. A {@code late} fraction instead gets {@code watermarkAt(i) - lateBy}: the source's
 * watermark has already passed it when it arrives. A {@code malformed} fraction is replaced by a
 * payload that is not a valid event (see {@link Malformation}).
 *
 * <p>Positions and re-deliveries: the stream is a sequence of positions {@code 0, 1, 2, ...};
 * position {@code p} delivers message {@code p}, then the copies due there. A {@code duplicates}
 * fraction of messages is delivered a second time, byte for byte, 1 to {@value #MAX_COPY_DELAY}
 * positions after the original (at the last position if the stream ends sooner). So {@code count}
 * counts distinct messages; copies come on top of it.
 *
 * <pre>{@code
 * EventGenerator generator = new EventGenerator(GeneratorSpec.parse("generator://events?count=5"));
 * generator.message(0); // {"id":"e-0","key":"key-3","ts":"2026-01-01T00:00:00.000Z","value":70.24}
 * generator.payloads(); // all deliveries in order, copies included
 * }</pre>
 */
public final class EventGenerator implements Serializable {
  /** A re-delivered copy arrives at most this many positions after its original. */
  public static final int MAX_COPY_DELAY = 3;

  /** The kinds of malformed payload, chosen per message from its seed. */
  public enum Malformation {
    /** The canonical event, cut off before its closing brace. */
    NOT_JSON,
    /** The event's values as a JSON array instead of an object. */
    ARRAY,
    /** An object without {@code ts}. */
    MISSING_TS,
    /** {@code value} as a JSON string: {@code "value":"12.5"}. */
    VALUE_AS_STRING,
    /** {@code "id":""}. */
    EMPTY_ID
  }

  private static final Malformation[] MALFORMATIONS = Malformation.values();
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final GeneratorSpec spec;
  private final long size;
  private final long startMillis;
  private final long disorderMillis;
  private final long lateByMillis;

  public EventGenerator(GeneratorSpec spec) {
    this.spec = spec;
    Long count = spec.count();
    this.size = count == null ? Long.MAX_VALUE : count;
    this.startMillis = spec.start().getMillis();
    this.disorderMillis = spec.disorder().getMillis();
    this.lateByMillis = spec.lateBy().getMillis();
  }

  public GeneratorSpec spec() {
    return spec;
  }

  /** The number of positions (distinct messages), or {@link Long#MAX_VALUE} if endless. */
  public long size() {
    return size;
  }

  /** The payload of message {@code index}, malformed or not. */
  public String message(long index) {
    checkIndex(index);
    Draws d = draws(index);
    String id = "e-" + index;
    String key = "key-" + d.key;
    String ts = eventTime(index, d).toString();
    String value = renderCents(d.cents);
    if (!d.malformed) {
      return canonical(id, key, ts, value);
    }
    return switch (MALFORMATIONS[d.malformationKind]) {
      case NOT_JSON -> {
        String whole = canonical(id, key, ts, value);
        yield whole.substring(0, whole.length() - 1);
      }
      case ARRAY -> "[\"" + id + "\",\"" + key + "\",\"" + ts + "\"," + value + "]";
      case MISSING_TS -> "{\"id\":\"" + id + "\",\"key\":\"" + key + "\",\"value\":" + value + "}";
      case VALUE_AS_STRING -> canonical(id, key, ts, "\"" + value + "\"");
      case EMPTY_ID -> canonical("", key, ts, value);
    };
  }

  /** The event time of message {@code index}; also its element timestamp in Beam. */
  public Instant eventTime(long index) {
    checkIndex(index);
    return eventTime(index, draws(index));
  }

  /** Whether message {@code index} arrives behind the watermark. */
  public boolean isLate(long index) {
    checkIndex(index);
    return draws(index).late;
  }

  /** Whether message {@code index} is delivered twice. */
  public boolean isDuplicated(long index) {
    checkIndex(index);
    return draws(index).duplicate;
  }

  /** How message {@code index} is malformed, or null if it is a valid event. */
  public @Nullable Malformation malformation(long index) {
    checkIndex(index);
    Draws d = draws(index);
    return d.malformed ? MALFORMATIONS[d.malformationKind] : null;
  }

  /** The position at which the copy of message {@code index} is delivered, or -1 if it has none. */
  public long copyPosition(long index) {
    checkIndex(index);
    Draws d = draws(index);
    if (!d.duplicate) {
      return -1;
    }
    long position = index + d.copyDelay;
    return position >= size || position < 0 ? size - 1 : position;
  }

  /**
   * The messages delivered at {@code position}, in order: message {@code position} itself, then the
   * copies of earlier messages due there.
   */
  public long[] deliveredAt(long position) {
    checkIndex(position);
    long[] indices = new long[MAX_COPY_DELAY + 2];
    int n = 0;
    indices[n++] = position;
    for (long j = Math.max(0, position - MAX_COPY_DELAY); j <= position; j++) {
      if (copyPosition(j) == position) {
        indices[n++] = j;
      }
    }
    return Arrays.copyOf(indices, n);
  }

  /**
   * The source's watermark while {@code position} is the next to be delivered: {@code start +
   * (position - MAX_COPY_DELAY) * interval - disorder}. The {@value #MAX_COPY_DELAY} positions held
   * back cover copies still to come of earlier messages, so that re-deliveries, like disordered
   * events, are never late; only the {@code late} fraction is.
   */
  public Instant watermarkAt(long position) {
    return new Instant(watermarkMillis(position));
  }

  /**
   * Every delivery of a bounded spec, in position order, copies included: exactly what the source
   * emits (in some order) for this spec.
   *
   * @throws IllegalStateException if the spec has no count
   */
  public List<String> payloads() {
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException(
          "an endless generator (rate without count) has no complete list; add count=N");
    }
    List<String> payloads = new ArrayList<>();
    for (long position = 0; position < size; position++) {
      for (long index : deliveredAt(position)) {
        payloads.add(message(index));
      }
    }
    return payloads;
  }

  private Instant eventTime(long index, Draws d) {
    if (d.late) {
      return new Instant(watermarkMillis(index) - lateByMillis);
    }
    return new Instant(nominalMillis(index) - d.disorderMillis);
  }

  private long watermarkMillis(long position) {
    return nominalMillis(Math.max(0, position - MAX_COPY_DELAY)) - disorderMillis;
  }

  private long nominalMillis(long index) {
    try {
      return startMillis + Math.multiplyExact(index, spec.intervalNanos()) / NANOS_PER_MILLI;
    } catch (ArithmeticException e) {
      throw new IllegalStateException(
          "message " + index + " would lie beyond the end of time; use a shorter interval", e);
    }
  }

  private void checkIndex(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          "position " + index + " is outside [0, " + size + ") for " + spec.toUri());
    }
  }

  // The draws come in a fixed order and are always all made, so that changing one parameter (say
  // the malformed fraction) does not reshuffle keys, values or times of the other messages.
  private Draws draws(long index) {
    IndexRandom random = new IndexRandom(spec.seed(), index);
    Draws d = new Draws();
    d.key = random.nextInt(spec.keys());
    d.cents = random.nextInt(10_000);
    d.disorderMillis = random.nextLong(disorderMillis + 1);
    d.late = random.nextDouble() < spec.late();
    d.duplicate = random.nextDouble() < spec.duplicates();
    d.copyDelay = 1 + random.nextInt(MAX_COPY_DELAY);
    d.malformed = random.nextDouble() < spec.malformed();
    d.malformationKind = random.nextInt(MALFORMATIONS.length);
    return d;
  }

  private static String canonical(String id, String key, String ts, String value) {
    return "{\"id\":\""
        + id
        + "\",\"key\":\""
        + key
        + "\",\"ts\":\""
        + ts
        + "\",\"value\":"
        + value
        + "}";
  }

  private static String renderCents(int cents) {
    int fraction = cents % 100;
    return (cents / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  private static final class Draws {
    int key;
    int cents;
    long disorderMillis;
    boolean late;
    boolean duplicate;
    int copyDelay;
    boolean malformed;
    int malformationKind;
  }

  /**
   * SplitMix64 seeded from (seed, index). Written out rather than taken from {@code
   * java.util.SplittableRandom}, whose exact sequence the JDK does not promise to keep.
   */
  private static final class IndexRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    IndexRandom(long seed, long index) {
      this.state = mix(mix(seed) ^ index);
    }

    long next() {
      state += GOLDEN_GAMMA;
      return mix(state);
    }

    int nextInt(int bound) {
      return (int) Long.remainderUnsigned(next(), bound);
    }

    long nextLong(long bound) {
      return Long.remainderUnsigned(next(), bound);
    }

    /** Uniform in [0, 1): the top 53 bits as a fraction. */
    double nextDouble() {
      return (next() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
