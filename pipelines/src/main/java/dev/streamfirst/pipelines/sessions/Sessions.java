package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.transforms.aggregate.SessionActivity;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.windowing.EventWindows;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Clickstream in; per key (user) and session: start, end, number of events, first and last event
 * and the time between them, with early rows while a session is still going on if the trigger
 * policy asks for them; dead letters for what cannot be parsed or arrives too late.
 *
 * <pre>{@code
 * Sessions.Result result = lines.apply("Sessions", Sessions.of(settings));
 * }</pre>
 */
public final class Sessions extends PTransform<PCollection<String>, Sessions.Result> {
  private final SessionsSettings settings;

  private Sessions(SessionsSettings settings) {
    this.settings = settings;
  }

  public static Sessions of(SessionsSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Sessions.of() needs settings, got null");
    }
    return new Sessions(settings);
  }

  @Override
  public Result expand(PCollection<String> payloads) {
    ParseEvents.Result parsed =
        payloads.apply("ParseEvents", ParseEvents.withFields(settings.fields()));
    Dedup<Event> dedup = Dedup.<Event>byId(Event::id).withTtl(settings.dedupTtl());
    dedup = settings.dedupClock() == DedupClock.EVENT_TIME ? dedup : dedup.inProcessingTime();
    EventWindows.Result<Event> windowed =
        parsed
            .events()
            .apply("Dedup", dedup)
            .apply(
                "Window",
                EventWindows.<Event>of(WindowSpec.session(settings.sessionGap()))
                    .withAllowedLateness(settings.allowedLateness())
                    .withTrigger(settings.trigger())
                    .withLateDeadLetters(Event::payload));
    PCollection<SessionRow> sessions =
        windowed
            .windowed()
            .apply(
                "EventTimes",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(Instant.class)))
                    .via((Event e) -> KV.of(e.key(), e.timestamp())))
            .apply("SessionActivity", SessionActivity.perKey());
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(windowed.late())
            .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(payloads.getPipeline(), sessions, deadLetters);
  }

  /** The sessions outputs: one row per key, session and pane; dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<SessionRow> SESSIONS = new TupleTag<>("sessions");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<SessionRow> sessions;
    private final PCollection<DeadLetter> deadLetters;

    Result(
        Pipeline pipeline, PCollection<SessionRow> sessions, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.sessions = sessions;
      this.deadLetters = deadLetters;
    }

    public PCollection<SessionRow> sessions() {
      return sessions;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(SESSIONS, sessions, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
