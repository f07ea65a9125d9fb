package dev.streamfirst.io.kafka;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.SecretReferences;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.transforms.time.Durations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads message payloads (UTF-8 text) from Kafka topics, each stamped with its event time.
 *
 * <p><b>Live</b> (no {@link #until}): unbounded, through Beam's {@code KafkaIO}. Event time comes
 * from the payload's time field ({@link #withPayloadTime}, the default, field {@code ts}) or from
 * the record timestamp ({@link #withRecordTime}); the watermark trails the latest event time by
 * {@link #maxDisorder()}, so events that much out of order are not late, and follows the clock when
 * a partition is idle. With a consumer {@link #withGroup group}, offsets are committed when the
 * runner finalizes a checkpoint, so a restarted job goes on where the last one was durably.
 *
 * <p><b>Replay</b> ({@link #untilEnd()} or {@link #until(Instant)}): bounded. When the pipeline is
 * built, the offsets of every partition are looked up once: from the start position to the end
 * offsets at that moment. Records written later are not read, so a backfill reads a fixed history
 * and ends. {@code from(instant)} and {@code until(instant)} bound event time: a replay keeps the
 * events in {@code [from, until)}. A replay neither reads nor commits a group's offsets, so it
 * never moves a live job's position.
 *
 * <p>Live, {@code from(instant)} is a start position: each partition starts at its first record
 * whose Kafka timestamp is at or after it. KafkaIO (2.62) fails the read of a partition that has no
 * such record yet; start such a job from {@code latest} or a group's offsets instead.
 *
 * <p>Payloads are decoded strictly as UTF-8 ({@link Utf8PayloadDeserializer}): one that is not
 * valid UTF-8 is never decoded with replacement characters but handed on undecoded, and parsing
 * makes it a dead letter holding its exact bytes. Records up to the broker's and topic's {@code
 * max.message.bytes} are read whole, however large: the consumer returns a record larger than its
 * {@code max.partition.fetch.bytes} on its own.
 *
 * <p>Payloads whose time cannot be read keep the record timestamp; parsing turns them into dead
 * letters later. Tombstones (records without a value) are skipped. Client properties pass through
 * unchanged (SASL, SSL, ...); the secret ones ({@link Secrets}) are never shown in display data or
 * messages.
 *
 * <pre>{@code
 * p.apply("ReadEvents", KafkaSource.read("broker:9092", "events").withGroup("rollup"));
 * // replay yesterday:
 * p.apply("ReadEvents", KafkaSource.read("broker:9092", "events")
 *     .from(Instant.parse("2026-11-24T00:00:00Z")).until(Instant.parse("2026-11-25T00:00:00Z")));
 * // or, from a URI option:
 * p.apply("ReadEvents", Sources.read("kafka://broker:9092/events?group=rollup&maxDisorder=1m"));
 * }</pre>
 */
@AutoValue
public abstract class KafkaSource extends PTransform<PBegin, PCollection<String>> {
  /** The URI scheme this source answers to. */
  public static final String SCHEME = KafkaUris.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "kafka://localhost:9092/events";

  /** The payload field read for event time unless set otherwise. */
  public static final String DEFAULT_TIMESTAMP_FIELD = "ts";

  /** How far out of order events may arrive and still be on time, unless set otherwise. */
  public static final Duration DEFAULT_MAX_DISORDER = Duration.standardSeconds(30);

  private static final Map<String, String> RESERVED = new LinkedHashMap<>();
  private static final Set<String> PARAMETERS = new LinkedHashSet<>();

  static {
    RESERVED.put("bootstrap.servers", "write the brokers after kafka://");
    RESERVED.put("group.id", "use group=");
    RESERVED.put("auto.offset.reset", "use from=earliest|latest");
    RESERVED.put("enable.auto.commit", "with group= offsets are committed as the runner finalizes");
    RESERVED.put("key.deserializer", "payloads are read as UTF-8 text");
    RESERVED.put(
        "value.deserializer", "payloads are read as UTF-8 text, or kept as bytes if they are not");
    PARAMETERS.addAll(
        List.of("group", "from", "until", "time", "tsField", "maxDisorder", KafkaUris.PROPERTIES));
  }

  /** Where reading starts. */
  public enum Start {
    /** The oldest record still kept (or a group's committed offset, live). */
    EARLIEST,
    /** Only records written from now on (or a group's committed offset, live). */
    LATEST,
    /**
     * Live: the first record whose Kafka timestamp is at or after {@link #startTime()}. Replay: the
     * events from that event time on.
     */
    TIME
  }

  /** Where reading ends. */
  public enum Stop {
    /** Never: a live, unbounded source. */
    NEVER,
    /** At the end offsets seen when the pipeline is built: bounded. */
    END,
    /** As {@link #END}, keeping only events before {@link #stopTime()}: bounded. */
    TIME
  }

  /** Where an event's time comes from. */
  public enum EventTime {
    /** The payload's time field, as parsing reads it; the record timestamp if it has none. */
    PAYLOAD,
    /** The Kafka record timestamp (producer's create time or broker's append time). */
    RECORD
  }

  public abstract String bootstrapServers();

  public abstract List<String> topics();

  public abstract @Nullable String group();

  /** Null until set: then {@link Start#LATEST} live and {@link Start#EARLIEST} in a replay. */
  public abstract @Nullable Start start();

  public abstract @Nullable Instant startTime();

  public abstract Stop stop();

  public abstract @Nullable Instant stopTime();

  public abstract EventTime eventTime();

  public abstract String timestampField();

  public abstract Duration maxDisorder();

  /** Kafka client properties passed through, secrets included: never print this map. */
  public abstract Map<String, String> clientProperties();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBootstrapServers(String servers);

    abstract Builder setTopics(List<String> topics);

    abstract Builder setGroup(@Nullable String group);

    abstract Builder setStart(@Nullable Start start);

    abstract Builder setStartTime(@Nullable Instant time);

    abstract Builder setStop(Stop stop);

    abstract Builder setStopTime(@Nullable Instant time);

    abstract Builder setEventTime(EventTime eventTime);

    abstract EventTime eventTime();

    abstract Builder setTimestampField(String field);

    abstract Builder setMaxDisorder(Duration maxDisorder);

    abstract Builder setClientProperties(Map<String, String> properties);

    abstract KafkaSource autoBuild();

    KafkaSource build() {
      KafkaSource source = autoBuild();
      source.validate();
      return source;
    }
  }

  /**
   * Reads {@code topics} from the brokers {@code host:port[,host:port...]}: live, from the latest
   * offsets, event time from the payload's {@code ts} field.
   */
  public static KafkaSource read(String bootstrapServers, String... topics) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "read() needs the brokers as host:port, e.g. localhost:9092, got " + bootstrapServers);
    }
    if (topics == null || topics.length == 0) {
      throw new IllegalArgumentException("read() needs at least one topic, e.g. \"events\"");
    }
    return fromUri(IoUri.parse("kafka://" + bootstrapServers + "/" + String.join(",", topics)));
  }

  /**
   * Reads what {@code kafka://host:port/topic1,topic2?parameters} says; see the README for every
   * parameter.
   *
   * @throws IllegalArgumentException naming the wrong part and showing a valid URI
   */
  public static KafkaSource fromUri(IoUri uri) {
    KafkaUris.requireKafka(uri, EXAMPLE);
    String servers = KafkaUris.bootstrapServers(uri, EXAMPLE);
    List<String> topics = KafkaUris.topics(uri, EXAMPLE);
    Map<String, String> parameters = uri.queryParameters();
    KafkaUris.requireKnown(uri, parameters, PARAMETERS, EXAMPLE);
    Builder builder =
        new AutoValue_KafkaSource.Builder()
            .setBootstrapServers(servers)
            .setTopics(topics)
            .setStop(Stop.NEVER)
            .setEventTime(EventTime.PAYLOAD)
            .setTimestampField(DEFAULT_TIMESTAMP_FIELD)
            .setMaxDisorder(DEFAULT_MAX_DISORDER)
            .setClientProperties(KafkaUris.clientProperties(uri, parameters, RESERVED, EXAMPLE));
    String group = parameters.get("group");
    if (group != null) {
      if (group.isBlank()) {
        throw new IllegalArgumentException(
            "parameter 'group' in '" + uri + "' is empty; e.g. " + EXAMPLE + "?group=rollup");
      }
      builder.setGroup(group);
    }
    String from = parameters.get("from");
    if (from != null) {
      switch (from) {
        case "earliest":
          builder.setStart(Start.EARLIEST);
          break;
        case "latest":
          builder.setStart(Start.LATEST);
          break;
        default:
          if (!from.contains("T")) {
            throw new IllegalArgumentException(
                "parameter 'from' in '"
                    + uri
                    + "' must be earliest, latest or an ISO-8601 instant, got '"
                    + from
                    + "'; e.g. "
                    + EXAMPLE
                    + "?from=2026-11-25T00:00:00Z");
          }
          builder
              .setStart(Start.TIME)
              .setStartTime(
                  KafkaUris.instant(uri, "from", from, EXAMPLE + "?from=2026-11-25T00:00:00Z"));
      }
    }
    String until = parameters.get("until");
    if (until != null) {
      if (until.equals("end")) {
        builder.setStop(Stop.END);
      } else {
        if (!until.contains("T")) {
          throw new IllegalArgumentException(
              "parameter 'until' in '"
                  + uri
                  + "' must be end or an ISO-8601 instant, got '"
                  + until
                  + "'; e.g. "
                  + EXAMPLE
                  + "?until=end");
        }
        builder
            .setStop(Stop.TIME)
            .setStopTime(
                KafkaUris.instant(uri, "until", until, EXAMPLE + "?until=2026-11-26T00:00:00Z"));
      }
    }
    String time = parameters.get("time");
    if (time != null) {
      switch (time.toLowerCase(Locale.ROOT)) {
        case "payload":
          builder.setEventTime(EventTime.PAYLOAD);
          break;
        case "record":
          builder.setEventTime(EventTime.RECORD);
          break;
        default:
          throw new IllegalArgumentException(
              "parameter 'time' in '"
                  + uri
                  + "' must be payload (the event's time field) or record (the Kafka timestamp),"
                  + " got '"
                  + time
                  + "'; e.g. "
                  + EXAMPLE
                  + "?time=record");
      }
    }
    String field = parameters.get("tsField");
    if (field != null) {
      if (field.isBlank()) {
        throw new IllegalArgumentException(
            "parameter 'tsField' in '" + uri + "' is empty; e.g. " + EXAMPLE + "?tsField=ts");
      }
      if (builder.eventTime() == EventTime.RECORD) {
        throw new IllegalArgumentException(
            "parameter 'tsField' in '"
                + uri
                + "' has no effect with time=record; drop one of them");
      }
      builder.setTimestampField(field);
    }
    String disorder = parameters.get("maxDisorder");
    if (disorder != null) {
      builder.setMaxDisorder(
          KafkaUris.duration(uri, "maxDisorder", disorder, EXAMPLE + "?maxDisorder=30s"));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': " + e.getMessage(), e);
    }
  }

  /** Reads as consumer group {@code group}: live, its committed offsets are used and advanced. */
  public KafkaSource withGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("withGroup() needs a group id, got " + group);
    }
    return toBuilder().setGroup(group).build();
  }

  /** Starts at the oldest records kept. */
  public KafkaSource fromEarliest() {
    return toBuilder().setStart(Start.EARLIEST).setStartTime(null).build();
  }

  /** Starts at the records written from now on. */
  public KafkaSource fromLatest() {
    return toBuilder().setStart(Start.LATEST).setStartTime(null).build();
  }

  /**
   * Live: starts every partition at its first record whose Kafka timestamp is at or after {@code
   * time}. Replay: keeps the events whose event time is at or after it.
   */
  public KafkaSource from(Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("from() needs an instant, got null");
    }
    return toBuilder().setStart(Start.TIME).setStartTime(time).build();
  }

  /** Bounded: reads up to the end offsets seen when the pipeline is built. */
  public KafkaSource untilEnd() {
    return toBuilder().setStop(Stop.END).setStopTime(null).build();
  }

  /** Bounded: as {@link #untilEnd()}, keeping only events whose event time is before {@code t}. */
  public KafkaSource until(Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("until() needs an instant, got null");
    }
    return toBuilder().setStop(Stop.TIME).setStopTime(time).build();
  }

  /** Event time from the payload's JSON field {@code field} (ISO-8601 or epoch millis). */
  public KafkaSource withPayloadTime(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("withPayloadTime() needs a field name, e.g. \"ts\"");
    }
    return toBuilder().setEventTime(EventTime.PAYLOAD).setTimestampField(field).build();
  }

  /** Event time is the Kafka record timestamp. */
  public KafkaSource withRecordTime() {
    return toBuilder().setEventTime(EventTime.RECORD).build();
  }

  /** How far behind the latest event an event may arrive and still be on time (live only). */
  public KafkaSource withMaxDisorder(Duration maxDisorder) {
    return toBuilder().setMaxDisorder(maxDisorder).build();
  }

  /** Kafka consumer properties (SASL, SSL, timeouts, ...), added to those already set. */
  public KafkaSource withClientProperties(Map<String, String> properties) {
    Map<String, String> all = new LinkedHashMap<>(clientProperties());
    all.putAll(properties);
    for (String name : all.keySet()) {
      if (RESERVED.containsKey(name)) {
        throw new IllegalArgumentException(
            "client property '" + name + "' is set by KafkaSource; " + RESERVED.get(name));
      }
    }
    return toBuilder().setClientProperties(Collections.unmodifiableMap(all)).build();
  }

  /** True for a replay ({@link #untilEnd()} or {@link #until}): the output is bounded. */
  public boolean isBounded() {
    return stop() != Stop.NEVER;
  }

  /** The start that applies: as set, or latest live and earliest in a replay. */
  public Start effectiveStart() {
    Start start = start();
    if (start != null) {
      return start;
    }
    return isBounded() ? Start.EARLIEST : Start.LATEST;
  }

  private void validate() {
    if (maxDisorder() == null || maxDisorder().getMillis() < 0) {
      throw new IllegalArgumentException(
          "maxDisorder must not be negative, got " + maxDisorder() + "; e.g. 30s");
    }
    if (isBounded() && effectiveStart() == Start.LATEST) {
      throw new IllegalArgumentException(
          "from=latest with until reads nothing: a replay reads what is already there; use"
              + " from=earliest or from=<instant>");
    }
    Instant startTime = startTime();
    Instant stopTime = stopTime();
    if (startTime != null && stopTime != null && !startTime.isBefore(stopTime)) {
      throw new IllegalArgumentException(
          "from=" + startTime + " is not before until=" + stopTime + "; nothing would be read");
    }
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (isBounded()) {
      return begin
          .apply(
              "PartitionRanges",
              Create.of(partitionRanges()).withCoder(SerializableCoder.of(PartitionRange.class)))
          // Each range is split by offset; the shuffle lets ranges go to different workers.
          .apply("SpreadRanges", Reshuffle.viaRandomKey())
          .apply(
              "ReadRanges",
              ParDo.of(
                  new ReadPartitionRangeFn(
                      consumerConfig(true), recordTime(), startTime(), stopTime())))
          .setCoder(StringUtf8Coder.of());
    }
    KafkaIO.Read<byte[], String> read =
        KafkaIO.<byte[], String>read()
            .withBootstrapServers(bootstrapServers())
            .withTopics(topics())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializerAndCoder(Utf8PayloadDeserializer.class, StringUtf8Coder.of())
            .withConsumerConfigUpdates(consumerConfig(false))
            .withConsumerFactoryFn(
                ClientFactories.consumers(ClientFactories.hidden(clientProperties())))
            .withTimestampPolicyFactory(BoundedDisorderPolicy.factory(recordTime(), maxDisorder()));
    if (effectiveStart() == Start.TIME) {
      read = read.withStartReadTime(startTime());
    }
    if (group() != null) {
      read = read.commitOffsetsInFinalize();
    }
    return begin
        .apply("ReadKafka", read)
        .apply("Payloads", ParDo.of(new PayloadFn()))
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("bootstrapServers", bootstrapServers()).withLabel("Kafka brokers"))
        .add(DisplayData.item("topics", String.join(",", topics())).withLabel("Topics"))
        .addIfNotNull(DisplayData.item("group", group()).withLabel("Consumer group"))
        .add(
            DisplayData.item(
                    "from",
                    effectiveStart() == Start.TIME
                        ? String.valueOf(startTime())
                        : effectiveStart().name().toLowerCase(Locale.ROOT))
                .withLabel("Start"))
        .add(
            DisplayData.item(
                    "until",
                    stop() == Stop.TIME
                        ? String.valueOf(stopTime())
                        : stop().name().toLowerCase(Locale.ROOT))
                .withLabel("Stop (never = live)"))
        .add(
            DisplayData.item(
                    "time",
                    eventTime() == EventTime.PAYLOAD
                        ? "payload field " + timestampField()
                        : "record timestamp")
                .withLabel("Event time"))
        .add(
            DisplayData.item("maxDisorder", Durations.format(maxDisorder()))
                .withLabel("Max disorder (watermark lag)"));
    Secrets.mask(clientProperties())
        .forEach(
            (name, value) ->
                builder.add(DisplayData.item("kafka." + name, value).withLabel("Client: " + name)));
  }

  RecordTime recordTime() {
    return eventTime() == EventTime.PAYLOAD
        ? RecordTime.fromPayload(timestampField())
        : RecordTime.fromRecord();
  }

  /**
   * The consumer settings: shown properties only for KafkaIO (it displays them), all of them for
   * our own replay reader and the offset look-up (which display nothing).
   */
  private Map<String, Object> consumerConfig(boolean withSecrets) {
    Map<String, Object> config =
        new HashMap<>(
            withSecrets
                ? new LinkedHashMap<String, Object>(clientProperties())
                : ClientFactories.shown(clientProperties()));
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (group() != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group());
    }
    if (!isBounded() && effectiveStart() != Start.TIME) {
      config.put(
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          effectiveStart().name().toLowerCase(Locale.ROOT));
    }
    return config;
  }

  /**
   * For a replay: every partition's offsets from the start position to its end offset now. This
   * runs where the pipeline is built, so that is when "the end" is taken.
   */
  private List<PartitionRange> partitionRanges() {
    // A consumer retries a refused login or a denied topic quietly, and an unreachable broker
    // for its whole timeout; the check says which it is, in one line.
    BrokerCheck.check(bootstrapServers(), clientProperties(), topics(), BrokerCheck.Access.READ)
        // A missing topic is said below, with the topics that do exist.
        .filter(problem -> problem.kind() != BrokerCheck.Kind.NO_TOPIC)
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem.message());
            });
    Map<String, Object> config =
        new HashMap<>(SecretReferences.resolveValues(consumerConfig(true)));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<PartitionRange> ranges = new ArrayList<>();
    try (Consumer<byte[], byte[]> consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      Map<String, List<PartitionInfo>> all = consumer.listTopics(lookupTimeout());
      for (String topic : topics()) {
        List<PartitionInfo> infos = all.get(topic);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalArgumentException(
              "topic '"
                  + topic
                  + "' does not exist on "
                  + bootstrapServers()
                  + "; existing topics: "
                  + String.join(", ", new java.util.TreeSet<>(all.keySet())));
        }
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, lookupTimeout());
      Map<TopicPartition, Long> start = startOffsets(consumer, partitions, end);
      for (TopicPartition partition : partitions) {
        long from = start.get(partition);
        long to = end.get(partition);
        if (from < to) {
          ranges.add(PartitionRange.of(partition.topic(), partition.partition(), from, to));
        }
      }
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot look up the offsets of "
              + String.join(",", topics())
              + " on "
              + bootstrapServers()
              + " to launch a replay: "
              + e.getClass().getSimpleName()
              + ": "
              + Secrets.maskUri(String.valueOf(e.getMessage())),
          e);
    }
    return ranges;
  }

  /**
   * How long a look-up of partitions and offsets may take: the client's own {@code
   * default.api.timeout.ms} when the URI sets it ({@code kafka.default.api.timeout.ms=30000}), else
   * {@link BrokerCheck#DEFAULT_TIMEOUT}, so an unreachable broker fails the launch in seconds.
   */
  private java.time.Duration lookupTimeout() {
    return java.time.Duration.ofMillis(BrokerCheck.timeout(clientProperties()).getMillis());
  }

  private Map<TopicPartition, Long> startOffsets(
      Consumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    if (effectiveStart() == Start.EARLIEST) {
      return consumer.beginningOffsets(partitions, lookupTimeout());
    }
    // Kafka finds offsets by record timestamp only. Payload times may run up to maxDisorder behind
    // the record times, so the look-up starts that much earlier; the reader then keeps the events
    // from the start time on.
    Instant seek =
        eventTime() == EventTime.PAYLOAD ? startTime().minus(maxDisorder()) : startTime();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, Math.max(0, seek.getMillis())));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(times, lookupTimeout());
    Map<TopicPartition, Long> start = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = found.get(partition);
      // No record at or after the time: nothing to read in this partition.
      start.put(partition, offset == null ? end.get(partition) : offset.offset());
    }
    return start;
  }

  private static final class PayloadFn extends DoFn<KafkaRecord<byte[], String>, String> {
    @ProcessElement
    public void process(@Element KafkaRecord<byte[], String> record, OutputReceiver<String> out) {
      String payload = record.getKV().getValue();
      if (payload != null) {
        out.output(payload);
      }
    }
  }
}
