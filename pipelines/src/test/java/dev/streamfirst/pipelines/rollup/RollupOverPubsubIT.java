package dev.streamfirst.pipelines.rollup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Kind;
import dev.streamfirst.testing.servers.pubsub.PubsubEmulator;
import dev.streamfirst.testing.servers.pubsub.PubsubEmulator.Message;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * The rollup pipeline between Pub/Sub topics, on the emulator: events published with an id and a
 * timestamp attribute, rows published back and compared with the independently computed answer.
 *
 * <p>The read never ends, so the pipeline runs with {@code --blockOnRun=false} and is cancelled
 * once the rows are in. Rows come out when the watermark passes their windows; PubsubIO's watermark
 * is the oldest event time read in the last minute, and moves to the wall clock only after a minute
 * without messages, so this test takes a little over a minute by design.
 */
public class RollupOverPubsubIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MINUTE = 60_000;
  private static final Duration ROWS_ARRIVE_WITHIN = Duration.ofMinutes(6);

  private final PubsubEmulator pubsub = PubsubEmulator.shared();

  @Test
  public void eventsFromPubsub_rowsToPubsub_matchIndependentAnswer() throws IOException {
    String events = pubsub.createTopic(PubsubEmulator.uniqueName("events"));
    String eventsSubscription =
        pubsub.createSubscription(PubsubEmulator.uniqueName("rollup"), events);
    String rows = pubsub.createTopic(PubsubEmulator.uniqueName("rows"));
    String rowsSubscription = pubsub.createSubscription(PubsubEmulator.uniqueName("rows"), rows);
    String dead = pubsub.createTopic(PubsubEmulator.uniqueName("dead"));
    String deadSubscription = pubsub.createSubscription(PubsubEmulator.uniqueName("dead"), dead);

    // Event times a few minutes back, so every window is over once the watermark reaches now.
    long t0 =
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(6)).toEpochMilli();
    List<Input> counted = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    String[] keys = {"sensor-1", "sensor-2 \"north\""};
    for (int i = 0; i < 12; i++) {
      Input e = new Input("e-" + i, keys[i % 2], t0 + i * 15_000L + 250, i * 1.5 - 4);
      counted.add(e);
      messages.add(message(e, "m-" + i));
    }
    // A publisher's retry carrying the same message id, whatever its payload: Pub/Sub-level dedup
    // drops it, so its value never counts, although the rollup's own dedup (by the "id" field)
    // would have let it through.
    messages.add(message(new Input("e-retry", keys[0], t0 + 1_000, 1000), "m-3"));
    // The same event again under a new message id: the rollup's dedup by "id" drops it.
    Input first = counted.get(0);
    messages.add(message(first, "m-again"));
    messages.add(Message.of("{not json", Map.of("msg_id", "m-bad", "ts", Long.toString(t0))));
    pubsub.publish(events, messages);

    List<String> args = new ArrayList<>(pubsub.pipelineArgs());
    args.add("--runner=DirectRunner");
    args.add("--blockOnRun=false");
    args.add(
        "--source=pubsub://" + eventsSubscription + "?idAttribute=msg_id&timestampAttribute=ts");
    args.add("--sink=pubsub://" + rows + "?timestampAttribute=ts");
    args.add("--deadLetter=pubsub://" + dead);
    args.add("--window=fixed:60s");
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(RollupOptions.class);
    List<String> expected =
        ReferenceRollup.rollup(counted, Kind.FIXED, MINUTE, MINUTE, 10 * MINUTE).stream()
            .map(ReferenceRollup::format)
            .sorted()
            .collect(Collectors.toList());

    PipelineResult result = RollupPipeline.create(options).run();
    List<Message> rowMessages;
    List<Message> extraRows;
    List<Message> deadLetters;
    try (Heartbeat heartbeat = new Heartbeat(pubsub, events)) {
      rowMessages = pubsub.pull(rowsSubscription, expected.size(), ROWS_ARRIVE_WITHIN);
      extraRows = pubsub.pull(rowsSubscription, 1, Duration.ofSeconds(5));
      deadLetters = pubsub.pull(deadSubscription, 1, Duration.ofSeconds(30));
    } finally {
      result.cancel();
    }

    assertThat(extraRows, empty());
    List<String> actual = new ArrayList<>();
    for (Message m : rowMessages) {
      JsonNode row = JSON.readTree(m.data());
      actual.add(format(row));
      assertEquals(m.data(), "ON_TIME", row.get("pane").asText());
      // Attributes: the row's key, and its event time (the end of its window less 1 ms).
      long end = Instant.parse(row.get("window_end").asText()).toEpochMilli();
      assertEquals(
          Map.of("key", row.get("key").asText(), "ts", Long.toString(end - 1)), m.attributes());
    }
    Collections.sort(actual);
    assertEquals(expected, actual);
    assertEquals(1, deadLetters.size());
    assertEquals("{not json", JSON.readTree(deadLetters.get(0).data()).get("payload").asText());
  }

  /** A blank message with the current time as its timestamp attribute, every second. */
  private static final class Heartbeat implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Heartbeat(PubsubEmulator pubsub, String topic) {
      AtomicInteger beats = new AtomicInteger();
      timer.scheduleAtFixedRate(
          () ->
              pubsub.publish(
                  topic,
                  List.of(
                      Message.of(
                          " ",
                          Map.of(
                              "msg_id",
                              "beat-" + beats.incrementAndGet(),
                              "ts",
                              Long.toString(System.currentTimeMillis()))))),
          0,
          1,
          TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static Message message(Input e, String messageId) {
    ObjectNode event = JSON.createObjectNode();
    event.put("id", e.id());
    event.put("key", e.key());
    event.put("ts", Instant.ofEpochMilli(e.ts()).toString());
    event.put("value", e.value());
    return Message.of(event.toString(), Map.of("msg_id", messageId, "ts", Long.toString(e.ts())));
  }

  private static String format(JsonNode row) {
    return String.join(
        "|",
        row.get("key").asText(),
        Instant.parse(row.get("window_start").asText()).toString(),
        Instant.parse(row.get("window_end").asText()).toString(),
        row.get("count").asText(),
        Double.toString(row.get("sum").asDouble()),
        Double.toString(row.get("min").asDouble()),
        Double.toString(row.get("max").asDouble()),
        Double.toString(row.get("mean").asDouble()));
  }
}
