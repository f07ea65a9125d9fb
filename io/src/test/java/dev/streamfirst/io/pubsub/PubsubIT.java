package dev.streamfirst.io.pubsub;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.testing.servers.pubsub.PubsubEmulator;
import dev.streamfirst.testing.servers.pubsub.PubsubEmulator.Message;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * Messages through the Pub/Sub emulator: read from a subscription and published again, unchanged,
 * to another topic. What comes out shows what the source and sink did with the attributes.
 */
public class PubsubIT {
  private static final Duration ARRIVAL = Duration.ofMinutes(2);
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private final PubsubEmulator pubsub = PubsubEmulator.shared();

  @Test
  public void idAttributeDropsResends_timestampAttributeGivesEventTime_sinkAddsKeyAndTimestamp() {
    String in = pubsub.createTopic(PubsubEmulator.uniqueName("in"));
    String inSubscription = pubsub.createSubscription(PubsubEmulator.uniqueName("read"), in);
    String out = pubsub.createTopic(PubsubEmulator.uniqueName("out"));
    String outSubscription = pubsub.createSubscription(PubsubEmulator.uniqueName("check"), out);
    String first = "{\"key\":\"k1\",\"n\":1}";
    String resent = "{\"key\":\"k1\",\"n\":1,\"attempt\":2}";
    pubsub.publish(
        in,
        List.of(
            Message.of(first, Map.of("msg_id", "m-1", "ts", millis(T0.plusSeconds(1)))),
            // RFC 3339 is read as well as epoch milliseconds.
            Message.of(
                "{\"key\":\"k2\",\"n\":2}", Map.of("msg_id", "m-2", "ts", "2026-11-25T10:00:02Z")),
            // A publisher's retry of m-1 (the id is the same, the payload need not be): dropped.
            Message.of(resent, Map.of("msg_id", "m-1", "ts", millis(T0.plusSeconds(1)))),
            Message.of("not json", Map.of("msg_id", "m-3", "ts", millis(T0.plusSeconds(3))))));

    PipelineResult result =
        run(
            "pubsub://" + inSubscription + "?idAttribute=msg_id&timestampAttribute=ts",
            "pubsub://" + out + "?timestampAttribute=ts");
    List<Message> received;
    List<Message> more;
    try {
      received = pubsub.pull(outSubscription, 3, ARRIVAL);
      more = pubsub.pull(outSubscription, 1, Duration.ofSeconds(5));
    } finally {
      cancel(result);
    }

    assertThat(more, empty());
    List<String> payloads = received.stream().map(Message::data).collect(Collectors.toList());
    assertEquals(3, payloads.size());
    assertThat(payloads, hasItem("{\"key\":\"k2\",\"n\":2}"));
    assertThat(payloads, hasItem("not json"));
    assertEquals(
        "exactly one of m-1's two deliveries: " + payloads,
        1,
        payloads.stream().filter(p -> p.equals(first) || p.equals(resent)).count());
    // Each element's timestamp came from the input's ts attribute (the publish time is today);
    // the sink writes it back as epoch milliseconds, and the row's key as an attribute.
    List<Map<String, String>> attributes =
        received.stream().map(Message::attributes).collect(Collectors.toList());
    assertThat(
        attributes,
        containsInAnyOrder(
            Map.of("key", "k1", "ts", millis(T0.plusSeconds(1))),
            Map.of("key", "k2", "ts", millis(T0.plusSeconds(2))),
            Map.of("ts", millis(T0.plusSeconds(3)))));
  }

  private PipelineResult run(String source, String sink) {
    List<String> args = new ArrayList<>(pubsub.pipelineArgs());
    args.add("--runner=DirectRunner");
    // The read never ends: run() must return so the test can watch the output, then cancel.
    args.add("--blockOnRun=false");
    Pipeline p =
        Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create());
    p.apply("Read", Sources.read(source)).apply("Write", Sinks.write(sink));
    return p.run();
  }

  private static void cancel(PipelineResult result) {
    try {
      result.cancel();
    } catch (IOException e) {
      throw new IllegalStateException("cannot cancel the pipeline", e);
    }
  }

  private static String millis(Instant instant) {
    return Long.toString(instant.toEpochMilli());
  }
}
