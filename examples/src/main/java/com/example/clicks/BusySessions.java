package com.example.clicks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.transforms.aggregate.SessionRow;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The alert: each pane of a session with at least {@code clicks} events becomes one alert, so a
 * late click that pushes a session over the line raises it in the session's late pane.
 */
public final class BusySessions extends PTransform<PCollection<SessionRow>, PCollection<String>> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int clicks;

  public BusySessions(int clicks) {
    this.clicks = clicks;
  }

  @Override
  public PCollection<String> expand(PCollection<SessionRow> sessions) {
    int threshold = clicks;
    return sessions
        .apply("AtLeastClicks", Filter.by((SessionRow row) -> row.events() >= threshold))
        .apply(
            "AlertJson",
            MapElements.into(TypeDescriptors.strings()).via(BusySessions::alertJson));
  }

  static String alertJson(SessionRow row) {
    ObjectNode alert = JSON.createObjectNode();
    alert.put("alert", "busy_session");
    alert.put("key", row.key());
    alert.put("session_start", row.windowStart().toString());
    alert.put("events", row.events());
    alert.put("final", row.isFinal());
    return alert.toString();
  }
}
