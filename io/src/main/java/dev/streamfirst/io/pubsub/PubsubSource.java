package dev.streamfirst.io.pubsub;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.events.Payloads;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the payloads of a Pub/Sub subscription as UTF-8 texts, one message per element; the output
 * is unbounded. A payload that is not valid UTF-8 is not decoded with replacement characters but
 * handed on undecoded ({@link Payloads}), and parsing makes it a dead letter with its exact bytes.
 *
 * <p>Two message attributes can take part, each optional:
 *
 * <ul>
 *   <li>{@link #withIdAttribute id attribute}: messages carrying the same value in it are delivered
 *       once (Pub/Sub-level dedup by PubsubIO, for publishers that retry). Without it, Pub/Sub's
 *       own message id is used, which only catches Pub/Sub's re-deliveries.
 *   <li>{@link #withTimestampAttribute timestamp attribute}: each element's timestamp, and so the
 *       source's watermark, comes from this attribute (epoch milliseconds or RFC 3339) instead of
 *       the publish time. Set it whenever events carry their own time: with publish times, events
 *       older than the watermark are late and a rollup drops them.
 * </ul>
 *
 * <p>The subscription must exist; it is not created here, because its lifetime (and the messages it
 * keeps while no job runs) is an operator's decision. Where Pub/Sub is reached and with which
 * credentials are pipeline options, not part of the URI: {@code --pubsubRootUrl} (e.g. {@code
 * http://localhost:8085} for the emulator) and {@code --credentialFactoryClass} (the emulator needs
 * {@code org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory}).
 *
 * <pre>{@code
 * p.apply("ReadEvents",
 *     PubsubSource.fromSubscription("projects/my-project/subscriptions/events-rollup")
 *         .withIdAttribute("event_id")
 *         .withTimestampAttribute("ts"));
 * // or, from a URI option:
 * p.apply("ReadEvents", Sources.read(
 *     "pubsub://projects/my-project/subscriptions/events-rollup?timestampAttribute=ts"));
 * }</pre>
 */
@AutoValue
public abstract class PubsubSource extends PTransform<PBegin, PCollection<String>> {
  /** The URI scheme this source answers to. */
  public static final String SCHEME = PubsubAddress.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "pubsub://projects/my-project/subscriptions/my-subscription";

  static final String ID_ATTRIBUTE = "idAttribute";
  static final String TIMESTAMP_ATTRIBUTE = "timestampAttribute";
  private static final Set<String> PARAMETERS = Set.of(ID_ATTRIBUTE, TIMESTAMP_ATTRIBUTE);

  /** The subscription's resource path: {@code projects/P/subscriptions/S}. */
  public abstract String subscription();

  public abstract @Nullable String idAttribute();

  public abstract @Nullable String timestampAttribute();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSubscription(String subscription);

    abstract Builder setIdAttribute(@Nullable String idAttribute);

    abstract Builder setTimestampAttribute(@Nullable String timestampAttribute);

    abstract PubsubSource build();
  }

  /** Reads {@code projects/P/subscriptions/S}, which must exist. */
  public static PubsubSource fromSubscription(String subscription) {
    if (subscription == null) {
      throw new IllegalArgumentException(
          "fromSubscription() needs projects/<project>/subscriptions/<name>, got null");
    }
    PubsubAddress address =
        PubsubAddress.parsePath(subscription, subscription, "projects/my-project/subscriptions/s1");
    if (address.kind() != PubsubAddress.Kind.SUBSCRIPTION) {
      throw notASubscription(address, subscription);
    }
    return new AutoValue_PubsubSource.Builder().setSubscription(address.path()).build();
  }

  /**
   * Reads a {@code pubsub://projects/P/subscriptions/S?idAttribute=..&timestampAttribute=..} URI. A
   * topic is refused: reading one needs a subscription, and creating it is left to whoever owns the
   * topic.
   */
  public static PubsubSource fromUri(IoUri uri) {
    PubsubAddress address = PubsubAddress.fromUri(uri, EXAMPLE);
    if (address.kind() != PubsubAddress.Kind.SUBSCRIPTION) {
      throw notASubscription(address, uri.toString());
    }
    Map<String, String> parameters = uri.queryParameters();
    Set<String> unknown = new TreeSet<>(parameters.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown Pub/Sub source parameter(s) "
              + unknown
              + " in '"
              + uri
              + "'; valid: "
              + ID_ATTRIBUTE
              + ", "
              + TIMESTAMP_ATTRIBUTE
              + ", e.g. "
              + EXAMPLE
              + "?timestampAttribute=ts");
    }
    PubsubSource source = fromSubscription(address.path());
    if (parameters.containsKey(ID_ATTRIBUTE)) {
      source = source.withIdAttribute(parameters.get(ID_ATTRIBUTE));
    }
    if (parameters.containsKey(TIMESTAMP_ATTRIBUTE)) {
      source = source.withTimestampAttribute(parameters.get(TIMESTAMP_ATTRIBUTE));
    }
    return source;
  }

  /** Messages with the same value in attribute {@code name} are delivered once. */
  public PubsubSource withIdAttribute(String name) {
    return toBuilder()
        .setIdAttribute(PubsubAddress.requireAttributeName(name, "withIdAttribute()"))
        .build();
  }

  /** Element timestamps (and the watermark) come from attribute {@code name}. */
  public PubsubSource withTimestampAttribute(String name) {
    return toBuilder()
        .setTimestampAttribute(PubsubAddress.requireAttributeName(name, "withTimestampAttribute()"))
        .build();
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PubsubIO.Read<PubsubMessage> read = PubsubIO.readMessages().fromSubscription(subscription());
    if (idAttribute() != null) {
      read = read.withIdAttribute(idAttribute());
    }
    if (timestampAttribute() != null) {
      read = read.withTimestampAttribute(timestampAttribute());
    }
    // Bytes, not PubsubIO.readStrings(): that decodes leniently, turning a payload that is not
    // UTF-8 into replacement characters; Payloads keeps such a payload whole for its dead letter.
    return begin
        .apply("ReadPubsub", read)
        .apply(
            "Payloads",
            MapElements.into(TypeDescriptors.strings())
                .via((PubsubMessage message) -> Payloads.fromBytes(message.getPayload())))
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("subscription", subscription()).withLabel("Pub/Sub subscription"))
        .addIfNotNull(
            DisplayData.item("idAttribute", idAttribute()).withLabel("Dedup by attribute"))
        .addIfNotNull(
            DisplayData.item("timestampAttribute", timestampAttribute())
                .withLabel("Event time from attribute"));
  }

  private static IllegalArgumentException notASubscription(PubsubAddress topic, String context) {
    String subscription = "projects/" + topic.project() + "/subscriptions/" + topic.name() + "-sub";
    return new IllegalArgumentException(
        "a Pub/Sub source reads a subscription, got topic '"
            + context
            + "'; Streamfirst does not create subscriptions (their lifetime and retention are"
            + " yours to decide): create one, e.g. 'gcloud pubsub subscriptions create "
            + topic.name()
            + "-sub --topic="
            + topic.name()
            + " --project="
            + topic.project()
            + "', and read pubsub://"
            + subscription);
  }
}
