package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.transforms.aggregate.SessionActivity;
import dev.streamfirst.transforms.aggregate.SessionRow;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Clickstream in; per key (user) and session: start, end, number of events, first and last event
 * and the time between them, with early rows while a session is still going on if the trigger
 * policy asks for them; dead letters for what cannot be parsed or arrives too late.
 *
 * <pre>{@code
 * Result<SessionRow> result = lines.apply("Sessions", Sessions.of(settings));
 * }</pre>
 */
public final class Sessions extends PTransform<PCollection<String>, Result<SessionRow>> {
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
  public Result<SessionRow> expand(PCollection<String> payloads) {
    CleanEvents.Cleaned windowed = settings.events().windowed(payloads);
    PCollection<SessionRow> sessions =
        windowed
            .output()
            .apply(
                "EventTimes",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(Instant.class)))
                    .via((Event e) -> KV.of(e.key(), e.timestamp())))
            .apply("SessionActivity", SessionActivity.perKey());
    return windowed.result(sessions);
  }
}
