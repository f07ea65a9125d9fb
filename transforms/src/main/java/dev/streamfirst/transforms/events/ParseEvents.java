package dev.streamfirst.transforms.events;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterCoder;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses JSON texts into {@link Event}s stamped with their event time; anything that is not a valid
 * event becomes a {@link DeadLetter} with stage {@code parse}. Blank texts are skipped.
 *
 * <p>An event dated more than {@link #withMaxFuture maxFuture} (1 hour by default) after the
 * worker's clock is refused as a dead letter: a producer with a wrong clock or time zone would
 * otherwise open windows that close only when that time comes, and hold dedup state until then.
 * Clocks a few seconds apart are the normal case and pass.
 *
 * <p>A message that a source could not decode as UTF-8 arrives in the form {@link Payloads}
 * describes; it becomes a dead letter holding its exact bytes as base64 ({@link
 * DeadLetter.PayloadEncoding#BASE64}), with a reason naming the first bad byte.
 *
 * <pre>{@code
 * Result<Event> parsed = lines.apply("ParseEvents", ParseEvents.withFields(fields));
 * parsed.output();       // PCollection<Event>, timestamped from the event's time field
 * parsed.deadLetters();  // PCollection<DeadLetter>
 * }</pre>
 */
@AutoValue
public abstract class ParseEvents extends PTransform<PCollection<String>, Result<Event>> {
  /** The dead-letter stage name of this transform. */
  public static final String STAGE = "parse";

  /** {@link #DEFAULT_MAX_FUTURE} as options write it. */
  public static final String DEFAULT_MAX_FUTURE_TEXT = "1h";

  /** How far ahead of the clock an event's time may be when none is given. */
  public static final Duration DEFAULT_MAX_FUTURE = Durations.parse(DEFAULT_MAX_FUTURE_TEXT);

  private static final TupleTag<Event> EVENTS = new TupleTag<Event>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  abstract EventFields fields();

  abstract Duration maxFuture();

  /** Parses with the canonical field names {@code id}, {@code key}, {@code ts}, {@code value}. */
  public static ParseEvents create() {
    return withFields(EventFields.defaults());
  }

  public static ParseEvents withFields(EventFields fields) {
    if (fields == null) {
      throw new IllegalArgumentException("withFields() needs field names, got null");
    }
    return new AutoValue_ParseEvents(fields, DEFAULT_MAX_FUTURE);
  }

  /**
   * Refuses events dated more than {@code maxFuture} after the worker's clock, as dead letters; it
   * bounds how long a wrongly dated event can hold windows and dedup state open.
   */
  public ParseEvents withMaxFuture(Duration maxFuture) {
    if (maxFuture == null || maxFuture.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withMaxFuture() must be positive, got "
              + (maxFuture == null ? "null" : Durations.format(maxFuture)));
    }
    return new AutoValue_ParseEvents(fields(), maxFuture);
  }

  @Override
  public Result<Event> expand(PCollection<String> payloads) {
    PCollectionTuple parsed =
        payloads.apply(
            "ParseJson",
            ParDo.of(
                    new ParseEventFn(
                        new EventParser(fields()), fields().timestampField(), maxFuture()))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    return Result.of(
        parsed.get(EVENTS).setCoder(EventCoder.of()),
        parsed.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("idField", fields().idField()).withLabel("Id field"))
        .add(DisplayData.item("keyField", fields().keyField()).withLabel("Key field"))
        .add(
            DisplayData.item("timestampField", fields().timestampField())
                .withLabel("Event time field"))
        .add(DisplayData.item("valueField", fields().valueField()).withLabel("Value field"))
        .add(
            DisplayData.item("maxFuture", Durations.format(maxFuture()))
                .withLabel("Most an event time may be ahead of the clock"));
  }

  private static final class ParseEventFn extends DoFn<String, Event> {
    private final EventParser parser;
    private final String timestampField;
    private final long maxFutureMillis;
    private final String maxFutureText;
    private final Counter read = StreamfirstMetrics.counter(StreamfirstMetrics.EVENTS_READ);
    private final Counter valid = StreamfirstMetrics.counter(StreamfirstMetrics.EVENTS_VALID);
    private final Counter invalid = StreamfirstMetrics.counter(StreamfirstMetrics.DEAD_LETTERS);

    ParseEventFn(EventParser parser, String timestampField, Duration maxFuture) {
      this.parser = parser;
      this.timestampField = timestampField;
      this.maxFutureMillis = maxFuture.getMillis();
      this.maxFutureText = Durations.format(maxFuture);
    }

    @ProcessElement
    public void process(@Element String payload, MultiOutputReceiver out) {
      if (payload.isBlank()) {
        return;
      }
      read.inc();
      byte[] undecoded = Payloads.undecodedBytes(payload);
      if (undecoded != null) {
        String text = Payloads.strictUtf8(undecoded);
        if (text == null) {
          invalid.inc();
          out.get(DEAD_LETTERS)
              .output(
                  DeadLetter.ofBytes(
                      undecoded, Payloads.utf8Problem(undecoded), STAGE, Instant.now()));
          return;
        }
        // Valid UTF-8 that merely looked like the undecoded form: parsed (and refused) as text.
        payload = text;
      }
      try {
        Event event = parser.parse(payload);
        // The clock is read as a number on every event; an Instant is made only for a refusal.
        long nowMillis = System.currentTimeMillis();
        if (event.timestamp().getMillis() - nowMillis > maxFutureMillis) {
          Instant now = new Instant(nowMillis);
          invalid.inc();
          out.get(DEAD_LETTERS)
              .output(DeadLetter.of(payload, tooFarAhead(event.timestamp(), now), STAGE, now));
          return;
        }
        valid.inc();
        // Event time comes from the payload, not from the source: this is what makes the
        // same input give the same windows on every runner and on replay.
        out.get(EVENTS).outputWithTimestamp(event, event.timestamp());
      } catch (InvalidEventException e) {
        invalid.inc();
        out.get(DEAD_LETTERS).output(DeadLetter.of(payload, e.getMessage(), STAGE, Instant.now()));
      }
    }

    private String tooFarAhead(Instant eventTime, Instant now) {
      return "field '"
          + timestampField
          + "' is "
          + eventTime
          + ", "
          + roughly(new Duration(now, eventTime))
          + " ahead of the clock ("
          + now
          + "); events more than "
          + maxFutureText
          + " ahead are refused (maxFuture)";
    }

    /** A duration as people say it: "3 days", "5 hours", "17 minutes". */
    private static String roughly(Duration ahead) {
      long minutes = ahead.getStandardMinutes();
      if (minutes >= 2 * 24 * 60) {
        return minutes / (24 * 60) + " days";
      }
      if (minutes >= 2 * 60) {
        return minutes / 60 + " hours";
      }
      return minutes + " minutes";
    }

    // Sources stamp elements with their own time (or none); moving an element to its event time,
    // earlier or later, is this transform's whole point, as in Beam's WithTimestamps.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
