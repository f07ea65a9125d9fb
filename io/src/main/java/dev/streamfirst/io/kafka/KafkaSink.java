package dev.streamfirst.io.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes each element (a JSON object, as the pipelines produce them) as the value of one Kafka
 * record, keyed by one of its fields so that all records of a key land in the same partition, in
 * order. An element without that field, or one that is not a JSON object, is written without a key.
 *
 * <p>Delivery is at least once by default: after a failure a runner may write some records again.
 * {@link #withExactlyOnce} writes in Kafka transactions instead ({@code TransactionalWriteFn}):
 * records become visible to {@code read_committed} consumers exactly once, a transaction per shard
 * per bundle (on Flink, per checkpoint, so rows wait for the checkpoint that commits them), and a
 * runner must keep the writers' input stable; {@link #requiresExactlyOnce()} tells a launcher to
 * check that.
 *
 * <pre>{@code
 * rows.apply("WriteRows", KafkaSink.to("broker:9092", "rollups"));
 * rows.apply("WriteRows", KafkaSink.to("broker:9092", "rollups").withExactlyOnce(2, "rollup-sink"));
 * // or, from a URI option:
 * rows.apply("WriteRows", Sinks.write("kafka://broker:9092/rollups?delivery=exactly-once"));
 * }</pre>
 */
@AutoValue
public abstract class KafkaSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to. */
  public static final String SCHEME = KafkaUris.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "kafka://localhost:9092/results";

  /** The JSON field whose text is the record key, unless set otherwise. */
  public static final String DEFAULT_KEY_FIELD = "key";

  /** Transactional writers for exactly-once delivery, unless set otherwise. */
  public static final int DEFAULT_SHARDS = 1;

  private static final Map<String, String> RESERVED = new LinkedHashMap<>();
  private static final Set<String> PARAMETERS = new LinkedHashSet<>();

  static {
    RESERVED.put("bootstrap.servers", "write the brokers after kafka://");
    RESERVED.put("key.serializer", "records are written as UTF-8 text");
    RESERVED.put("value.serializer", "records are written as UTF-8 text");
    RESERVED.put("transactional.id", "use delivery=exactly-once (and sinkGroup=)");
    PARAMETERS.addAll(List.of("keyField", "delivery", "shards", "sinkGroup", KafkaUris.PROPERTIES));
  }

  /** What a failure and a retry can do to the output. */
  public enum Delivery {
    /** A record may be written more than once after a failure. */
    AT_LEAST_ONCE,
    /** Each record is committed once, in Kafka transactions; needs runner support. */
    EXACTLY_ONCE;

    /** How a URI writes it: {@code at-least-once}, {@code exactly-once}. */
    public String uriValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public abstract String bootstrapServers();

  public abstract String topic();

  public abstract String keyField();

  public abstract Delivery delivery();

  /** Transactional writers (exactly-once only); each holds a transaction open at a time. */
  public abstract int numShards();

  /**
   * The group id under which the exactly-once sink keeps its progress in Kafka; a restarted job
   * must use the same one. Null for at-least-once.
   */
  public abstract @Nullable String sinkGroupId();

  /** Kafka client properties passed through, secrets included: never print this map. */
  public abstract Map<String, String> clientProperties();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBootstrapServers(String servers);

    abstract Builder setTopic(String topic);

    abstract Builder setKeyField(String field);

    abstract Builder setDelivery(Delivery delivery);

    abstract Builder setNumShards(int shards);

    abstract Builder setSinkGroupId(@Nullable String group);

    abstract Builder setClientProperties(Map<String, String> properties);

    abstract KafkaSink build();
  }

  /** Writes to {@code topic} on the brokers {@code host:port[,host:port...]}, at least once. */
  public static KafkaSink to(String bootstrapServers, String topic) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "to() needs the brokers as host:port, e.g. localhost:9092, got " + bootstrapServers);
    }
    return fromUri(IoUri.parse("kafka://" + bootstrapServers + "/" + topic));
  }

  /**
   * Writes where {@code kafka://host:port/topic?parameters} says: {@code keyField}, {@code
   * delivery=at-least-once|exactly-once}, {@code shards}, {@code sinkGroup}, {@code properties},
   * {@code kafka.<client property>}.
   *
   * @throws IllegalArgumentException naming the wrong part and showing a valid URI
   */
  public static KafkaSink fromUri(IoUri uri) {
    KafkaUris.requireKafka(uri, EXAMPLE);
    String servers = KafkaUris.bootstrapServers(uri, EXAMPLE);
    List<String> topics = KafkaUris.topics(uri, EXAMPLE);
    if (topics.size() > 1) {
      throw new IllegalArgumentException(
          "a Kafka sink writes to one topic, got "
              + String.join(", ", topics)
              + " in '"
              + uri
              + "'; e.g. "
              + EXAMPLE);
    }
    Map<String, String> parameters = uri.queryParameters();
    KafkaUris.requireKnown(uri, parameters, PARAMETERS, EXAMPLE);
    KafkaSink sink =
        new AutoValue_KafkaSink.Builder()
            .setBootstrapServers(servers)
            .setTopic(topics.get(0))
            .setKeyField(DEFAULT_KEY_FIELD)
            .setDelivery(Delivery.AT_LEAST_ONCE)
            .setNumShards(DEFAULT_SHARDS)
            .setClientProperties(KafkaUris.clientProperties(uri, parameters, RESERVED, EXAMPLE))
            .build();
    String keyField = parameters.get("keyField");
    if (keyField != null) {
      if (keyField.isBlank()) {
        throw new IllegalArgumentException(
            "parameter 'keyField' in '" + uri + "' is empty; e.g. " + EXAMPLE + "?keyField=key");
      }
      sink = sink.withKeyField(keyField);
    }
    String delivery = parameters.get("delivery");
    boolean exactlyOnce =
        delivery != null
            && switch (delivery) {
              case "at-least-once" -> false;
              case "exactly-once" -> true;
              default ->
                  throw new IllegalArgumentException(
                      "parameter 'delivery' in '"
                          + uri
                          + "' must be at-least-once or exactly-once, got '"
                          + delivery
                          + "'; e.g. "
                          + EXAMPLE
                          + "?delivery=exactly-once");
            };
    String shards = parameters.get("shards");
    String group = parameters.get("sinkGroup");
    if (!exactlyOnce && (shards != null || group != null)) {
      throw new IllegalArgumentException(
          "parameters 'shards' and 'sinkGroup' in '"
              + uri
              + "' only apply to delivery=exactly-once; e.g. "
              + EXAMPLE
              + "?delivery=exactly-once&shards=2&sinkGroup=rollup-results");
    }
    if (exactlyOnce) {
      int numShards = DEFAULT_SHARDS;
      if (shards != null) {
        try {
          numShards = Integer.parseInt(shards);
        } catch (NumberFormatException e) {
          numShards = 0;
        }
        if (numShards <= 0) {
          throw new IllegalArgumentException(
              "parameter 'shards' in '"
                  + uri
                  + "' must be a positive whole number, got '"
                  + shards
                  + "'; e.g. "
                  + EXAMPLE
                  + "?delivery=exactly-once&shards=2");
        }
      }
      sink =
          sink.withExactlyOnce(numShards, group != null ? group : defaultSinkGroup(sink.topic()));
    }
    return sink;
  }

  /** Keys records by the text of JSON field {@code field} (a number's digits for a number). */
  public KafkaSink withKeyField(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("withKeyField() needs a JSON field name, e.g. \"key\"");
    }
    return toBuilder().setKeyField(field).build();
  }

  /**
   * Exactly-once delivery through Kafka transactions, with {@code numShards} writers keeping their
   * progress under group id {@code sinkGroupId} (keep it stable across restarts of one job, and
   * distinct between jobs). Readers must use {@code isolation.level=read_committed}.
   */
  public KafkaSink withExactlyOnce(int numShards, String sinkGroupId) {
    if (numShards <= 0) {
      throw new IllegalArgumentException(
          "withExactlyOnce() needs a positive number of shards, got " + numShards);
    }
    if (sinkGroupId == null || sinkGroupId.isBlank()) {
      throw new IllegalArgumentException(
          "withExactlyOnce() needs a sink group id, e.g. \"rollup-results\"");
    }
    return toBuilder()
        .setDelivery(Delivery.EXACTLY_ONCE)
        .setNumShards(numShards)
        .setSinkGroupId(sinkGroupId)
        .build();
  }

  /** Kafka producer properties (SASL, SSL, compression, ...), added to those already set. */
  public KafkaSink withClientProperties(Map<String, String> properties) {
    Map<String, String> all = new LinkedHashMap<>(clientProperties());
    all.putAll(properties);
    for (String name : all.keySet()) {
      if (RESERVED.containsKey(name)) {
        throw new IllegalArgumentException(
            "client property '" + name + "' is set by KafkaSink; " + RESERVED.get(name));
      }
    }
    return toBuilder().setClientProperties(java.util.Collections.unmodifiableMap(all)).build();
  }

  /**
   * Whether this sink needs a runner that supports exactly-once sinks (stable input for
   * {@code @RequiresStableInput} and durable state). A launcher must refuse to run such a sink on a
   * runner without that support, before anything runs.
   */
  public boolean requiresExactlyOnce() {
    return delivery() == Delivery.EXACTLY_ONCE;
  }

  @Override
  public PDone expand(PCollection<String> rows) {
    PCollection<KV<String, String>> keyed =
        rows.apply("KeyByField", ParDo.of(new KeyByFieldFn(keyField())))
            .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    if (requiresExactlyOnce()) {
      keyed
          .apply("AssignShards", ParDo.of(new AssignShardFn(numShards())))
          .setCoder(KvCoder.of(VarIntCoder.of(), keyed.getCoder()))
          // Each shard numbers its records once, whatever window they came from.
          .apply(
              "IntoOneWindow",
              Window.<KV<Integer, KV<String, String>>>into(new GlobalWindows())
                  .triggering(DefaultTrigger.of())
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes())
          .apply(
              "WriteTransactions",
              ParDo.of(
                  new TransactionalWriteFn(
                      bootstrapServers(), topic(), sinkGroupId(), clientProperties())));
      return PDone.in(rows.getPipeline());
    }
    keyed.apply(
        "WriteKafka",
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers())
            .withTopic(topic())
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(ClientFactories.shown(clientProperties()))
            .withProducerFactoryFn(
                ClientFactories.producers(ClientFactories.hidden(clientProperties()))));
    return PDone.in(rows.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("bootstrapServers", bootstrapServers()).withLabel("Kafka brokers"))
        .add(DisplayData.item("topic", topic()).withLabel("Topic"))
        .add(DisplayData.item("keyField", keyField()).withLabel("Record key from field"))
        .add(DisplayData.item("delivery", delivery().uriValue()).withLabel("Delivery"));
    if (requiresExactlyOnce()) {
      builder
          .add(DisplayData.item("shards", numShards()).withLabel("Transactional writers"))
          .add(DisplayData.item("sinkGroup", sinkGroupId()).withLabel("Sink group id"));
    }
    Secrets.mask(clientProperties())
        .forEach(
            (name, value) ->
                builder.add(DisplayData.item("kafka." + name, value).withLabel("Client: " + name)));
  }

  private static String defaultSinkGroup(String topic) {
    // Stable for a topic, so a restarted job finds its progress without being told.
    return "streamfirst-sink-" + topic;
  }

  /** Pairs each text with the record key read from its JSON field (null if there is none). */
  static final class KeyByFieldFn extends DoFn<String, KV<String, String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String field;

    KeyByFieldFn(String field) {
      this.field = field;
    }

    @ProcessElement
    public void process(@Element String text, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(keyOf(text, field), text));
    }

    static @Nullable String keyOf(String text, String field) {
      JsonNode root;
      try {
        root = JSON.readTree(text);
      } catch (IOException e) {
        return null;
      }
      if (root == null || !root.isObject()) {
        return null;
      }
      JsonNode key = root.get(field);
      if (key == null || key.isNull() || key.isContainerNode()) {
        return null;
      }
      return key.asText();
    }
  }

  /**
   * Spreads records over the transactional writers by their key (the whole text without one), so
   * that a key's records stay in order; String.hashCode is specified, so every worker agrees.
   */
  static final class AssignShardFn
      extends DoFn<KV<String, String>, KV<Integer, KV<String, String>>> {
    private final int shards;

    AssignShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element KV<String, String> record, OutputReceiver<KV<Integer, KV<String, String>>> out) {
      String by = record.getKey() != null ? record.getKey() : record.getValue();
      out.output(KV.of(Math.floorMod(by.hashCode(), shards), record));
    }
  }
}
