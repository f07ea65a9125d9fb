package dev.streamfirst.io.pubsub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Publishes each element, a JSON text, as one message to a Pub/Sub topic.
 *
 * <p>Every message whose JSON object has a string field {@code key} (every result row does) gets it
 * as the attribute {@value #KEY_ATTRIBUTE} too (unless it is over Pub/Sub's 1024-byte limit for
 * attribute values), so subscribers can filter or route by key without parsing the payload. Two
 * more attributes are optional:
 *
 * <ul>
 *   <li>{@link #withTimestampAttribute timestamp attribute}: the element's timestamp in epoch
 *       milliseconds; a result row's timestamp is the end of its window less 1 ms. A downstream job
 *       reading with the same timestamp attribute then sees event time, not publish time.
 *   <li>{@link #withIdAttribute id attribute}: a unique id per element, kept when the sink itself
 *       retries a publish, so a reader with the same id attribute drops the copies.
 * </ul>
 *
 * <p>The topic must exist. Endpoint and credentials are pipeline options ({@code --pubsubRootUrl},
 * {@code --credentialFactoryClass}), as for {@link PubsubSource}.
 *
 * <pre>{@code
 * rows.apply("PublishRows",
 *     PubsubSink.to("projects/my-project/topics/rollup").withTimestampAttribute("ts"));
 * // or, from a URI option:
 * rows.apply("PublishRows",
 *     Sinks.write("pubsub://projects/my-project/topics/rollup?timestampAttribute=ts"));
 * }</pre>
 */
@AutoValue
public abstract class PubsubSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to. */
  public static final String SCHEME = PubsubAddress.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "pubsub://projects/my-project/topics/my-topic";

  /** The attribute that carries the JSON object's {@code key} field. */
  public static final String KEY_ATTRIBUTE = "key";

  private static final Set<String> PARAMETERS =
      Set.of(PubsubSource.ID_ATTRIBUTE, PubsubSource.TIMESTAMP_ATTRIBUTE);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ATTRIBUTE_BYTES = 1024;

  /** The topic's resource path: {@code projects/P/topics/T}. */
  public abstract String topic();

  public abstract @Nullable String idAttribute();

  public abstract @Nullable String timestampAttribute();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTopic(String topic);

    abstract Builder setIdAttribute(@Nullable String idAttribute);

    abstract Builder setTimestampAttribute(@Nullable String timestampAttribute);

    abstract PubsubSink build();
  }

  /** Publishes to {@code projects/P/topics/T}, which must exist. */
  public static PubsubSink to(String topic) {
    if (topic == null) {
      throw new IllegalArgumentException("to() needs projects/<project>/topics/<topic>, got null");
    }
    PubsubAddress address = PubsubAddress.parsePath(topic, topic, "projects/my-project/topics/t1");
    if (address.kind() != PubsubAddress.Kind.TOPIC) {
      throw notATopic(topic);
    }
    return new AutoValue_PubsubSink.Builder().setTopic(address.path()).build();
  }

  /** Publishes to a {@code pubsub://projects/P/topics/T?idAttribute=..&timestampAttribute=..}. */
  public static PubsubSink fromUri(IoUri uri) {
    PubsubAddress address = PubsubAddress.fromUri(uri, EXAMPLE);
    if (address.kind() != PubsubAddress.Kind.TOPIC) {
      throw notATopic(uri.toString());
    }
    Map<String, String> parameters = uri.queryParameters();
    Set<String> unknown = new TreeSet<>(parameters.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown Pub/Sub sink parameter(s) "
              + unknown
              + " in '"
              + uri
              + "'; valid: "
              + PubsubSource.ID_ATTRIBUTE
              + ", "
              + PubsubSource.TIMESTAMP_ATTRIBUTE
              + ", e.g. "
              + EXAMPLE
              + "?timestampAttribute=ts");
    }
    PubsubSink sink = to(address.path());
    if (parameters.containsKey(PubsubSource.ID_ATTRIBUTE)) {
      sink = sink.withIdAttribute(parameters.get(PubsubSource.ID_ATTRIBUTE));
    }
    if (parameters.containsKey(PubsubSource.TIMESTAMP_ATTRIBUTE)) {
      sink = sink.withTimestampAttribute(parameters.get(PubsubSource.TIMESTAMP_ATTRIBUTE));
    }
    return sink;
  }

  /** Each message gets a unique id in attribute {@code name}, the same on the sink's retries. */
  public PubsubSink withIdAttribute(String name) {
    return toBuilder()
        .setIdAttribute(PubsubAddress.requireAttributeName(name, "withIdAttribute()"))
        .build();
  }

  /**
   * Each message carries its element's timestamp, in epoch milliseconds, in attribute {@code name}.
   */
  public PubsubSink withTimestampAttribute(String name) {
    PubsubAddress.requireAttributeName(name, "withTimestampAttribute()");
    if (name.equals(KEY_ATTRIBUTE)) {
      throw new IllegalArgumentException(
          "withTimestampAttribute() cannot be '"
              + KEY_ATTRIBUTE
              + "': that attribute carries the row's key; e.g. ts");
    }
    return toBuilder().setTimestampAttribute(name).build();
  }

  @Override
  public PDone expand(PCollection<String> texts) {
    PubsubIO.Write<PubsubMessage> write = PubsubIO.writeMessages().to(topic());
    if (idAttribute() != null) {
      write = write.withIdAttribute(idAttribute());
    }
    if (timestampAttribute() != null) {
      write = write.withTimestampAttribute(timestampAttribute());
    }
    return texts
        .apply("ToMessages", ParDo.of(new ToMessageFn()))
        .setCoder(PubsubMessageWithAttributesCoder.of())
        .apply("PublishPubsub", write);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("topic", topic()).withLabel("Pub/Sub topic"))
        .add(DisplayData.item("keyAttribute", KEY_ATTRIBUTE).withLabel("Row key in attribute"))
        .addIfNotNull(
            DisplayData.item("idAttribute", idAttribute()).withLabel("Unique id in attribute"))
        .addIfNotNull(
            DisplayData.item("timestampAttribute", timestampAttribute())
                .withLabel("Timestamp in attribute"));
  }

  private static IllegalArgumentException notATopic(String context) {
    return new IllegalArgumentException(
        "a Pub/Sub sink publishes to a topic, got subscription '" + context + "'; e.g. " + EXAMPLE);
  }

  /**
   * The message for one text: the text as UTF-8 payload; the JSON object's string {@code key}, if
   * any, as attribute {@value #KEY_ATTRIBUTE}.
   */
  static PubsubMessage messageOf(String text) {
    Map<String, String> attributes = Map.of();
    String key = keyOf(text);
    // Pub/Sub refuses attribute values over 1024 bytes; such a key stays in the payload only.
    if (key != null && key.getBytes(StandardCharsets.UTF_8).length <= MAX_ATTRIBUTE_BYTES) {
      attributes = Map.of(KEY_ATTRIBUTE, key);
    }
    return new PubsubMessage(text.getBytes(StandardCharsets.UTF_8), attributes);
  }

  private static @Nullable String keyOf(String text) {
    try {
      JsonNode key = JSON.readTree(text).get("key");
      return key != null && key.isTextual() ? key.textValue() : null;
    } catch (JsonProcessingException e) {
      // Not every text is a JSON object with a key (a dead letter, a plain line); it is
      // published all the same, just without the attribute.
      return null;
    }
  }

  private static final class ToMessageFn extends DoFn<String, PubsubMessage> {
    @ProcessElement
    public void process(@Element String text, OutputReceiver<PubsubMessage> out) {
      out.output(messageOf(text));
    }
  }
}
