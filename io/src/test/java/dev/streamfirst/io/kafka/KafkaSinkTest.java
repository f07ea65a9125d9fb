package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.kafka.KafkaSink.Delivery;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Test;

public class KafkaSinkTest {

  private static KafkaSink sink(String uri) {
    return (KafkaSink) Sinks.write(uri);
  }

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> Sinks.write(uri));
  }

  @Test
  public void plainUri_writesAtLeastOnceKeyedByTheKeyField() {
    KafkaSink sink = sink("kafka://localhost:9092/results");

    assertEquals("localhost:9092", sink.bootstrapServers());
    assertEquals("results", sink.topic());
    assertEquals("key", sink.keyField());
    assertEquals(Delivery.AT_LEAST_ONCE, sink.delivery());
    assertFalse(sink.requiresExactlyOnce());
    assertFalse(Sinks.requiresExactlyOnce("kafka://localhost:9092/results"));
  }

  @Test
  public void exactlyOnce_withShardsAndGroup_isRead() {
    String uri =
        "kafka://localhost:9092/results?delivery=exactly-once&shards=3&sinkGroup=rollup-out"
            + "&keyField=sensor";
    KafkaSink sink = sink(uri);

    assertEquals(Delivery.EXACTLY_ONCE, sink.delivery());
    assertEquals(3, sink.numShards());
    assertEquals("rollup-out", sink.sinkGroupId());
    assertEquals("sensor", sink.keyField());
    assertTrue(sink.requiresExactlyOnce());
    assertTrue(Sinks.requiresExactlyOnce(uri));
  }

  @Test
  public void exactlyOnce_withoutGroup_getsAStableOneFromTheTopic() {
    KafkaSink sink = sink("kafka://localhost:9092/results?delivery=exactly-once");

    assertEquals("streamfirst-sink-results", sink.sinkGroupId());
    assertEquals(1, sink.numShards());
  }

  @Test
  public void otherSinks_doNotRequireExactlyOnce() {
    assertFalse(Sinks.requiresExactlyOnce("file:///tmp/out"));
    assertFalse(Sinks.requiresExactlyOnce("console:"));
  }

  @Test
  public void badDelivery_isRefusedWithTheValidValues() {
    IllegalArgumentException e = refused("kafka://b:9092/results?delivery=once");

    assertThat(e.getMessage(), containsString("must be at-least-once or exactly-once, got 'once'"));
    assertThat(e.getMessage(), containsString("?delivery=exactly-once"));
  }

  @Test
  public void shardsWithoutExactlyOnce_isRefused() {
    assertThat(
        refused("kafka://b:9092/results?shards=2").getMessage(),
        containsString("only apply to delivery=exactly-once"));
  }

  @Test
  public void badShards_isRefused() {
    assertThat(
        refused("kafka://b:9092/results?delivery=exactly-once&shards=0").getMessage(),
        containsString("must be a positive whole number, got '0'"));
  }

  @Test
  public void twoTopics_areRefused() {
    IllegalArgumentException e = refused("kafka://b:9092/a,b");

    assertThat(e.getMessage(), containsString("writes to one topic, got a, b"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/results"));
  }

  @Test
  public void reservedProducerProperty_isRefused() {
    assertThat(
        refused("kafka://b:9092/results?kafka.transactional.id=x").getMessage(),
        containsString("use delivery=exactly-once"));
  }

  @Test
  public void unknownParameter_isRefused() {
    assertThat(
        refused("kafka://b:9092/results?key=id").getMessage(),
        containsString("unknown parameter 'key'"));
  }

  @Test
  public void key_isTheTextOfTheField() {
    assertEquals("sensor-1", KafkaSink.KeyByFieldFn.keyOf("{\"key\":\"sensor-1\",\"v\":1}", "key"));
    assertEquals("42", KafkaSink.KeyByFieldFn.keyOf("{\"key\":42}", "key"));
    assertEquals("ключ", KafkaSink.KeyByFieldFn.keyOf("{\"id\":\"ключ\"}", "id"));
  }

  @Test
  public void textWithoutAUsableKey_hasNoKey() {
    assertNull(KafkaSink.KeyByFieldFn.keyOf("{\"payload\":\"x\",\"error\":\"y\"}", "key"));
    assertNull(KafkaSink.KeyByFieldFn.keyOf("{\"key\":null}", "key"));
    assertNull(KafkaSink.KeyByFieldFn.keyOf("{\"key\":{\"a\":1}}", "key"));
    assertNull(KafkaSink.KeyByFieldFn.keyOf("[1,2]", "key"));
    assertNull(KafkaSink.KeyByFieldFn.keyOf("not json", "key"));
  }

  @Test
  public void displayData_masksSecrets_inEveryStep() {
    KafkaSink sink =
        sink("kafka://b:9092/results?delivery=exactly-once&kafka.sasl.jaas.config=hunter2-jaas")
            .withClientProperties(Map.of("ssl.keystore.password", "hunter2-ks"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of("{\"key\":\"k\"}")).apply("Write", sink);

    StringBuilder shown = new StringBuilder(DisplayData.from(sink).toString());
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              shown.append(DisplayData.from(node.getTransform())).append('\n');
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            shown.append(DisplayData.from(node.getTransform())).append('\n');
          }
        });

    assertThat(shown.toString(), containsString("kafka.sasl.jaas.config"));
    assertThat(shown.toString(), containsString("exactly-once"));
    assertThat(shown.toString(), not(containsString("hunter2")));
  }
}
