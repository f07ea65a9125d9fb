package dev.streamfirst.io.kafka;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.transforms.time.Durations;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

  /** Everything this source reads by, as its {@code kafka://} URI says it. */
  abstract KafkaSourceUri settings();

  public String bootstrapServers() {
    return settings().bootstrapServers();
  }

  public List<String> topics() {
    return settings().topics();
  }

  public @Nullable String group() {
    return settings().group();
  }

  /** Null until set: then {@link Start#LATEST} live and {@link Start#EARLIEST} in a replay. */
  public @Nullable Start start() {
    return settings().start();
  }

  public @Nullable Instant startTime() {
    return settings().startTime();
  }

  public Stop stop() {
    return settings().stop();
  }

  public @Nullable Instant stopTime() {
    return settings().stopTime();
  }

  public EventTime eventTime() {
    return settings().eventTime();
  }

  public String timestampField() {
    return settings().timestampField();
  }

  public Duration maxDisorder() {
    return settings().maxDisorder();
  }

  /** Kafka client properties passed through, secrets included: never print this map. */
  public Map<String, String> clientProperties() {
    return settings().clientProperties();
  }

  private static KafkaSource of(KafkaSourceUri settings) {
    return new AutoValue_KafkaSource(settings);
  }

  private KafkaSource with(KafkaSourceUri.Builder settings) {
    return of(settings.build());
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
    return of(KafkaSourceUri.of(bootstrapServers, topics).build());
  }

  /**
   * Reads what {@code kafka://host:port/topic1,topic2?parameters} says; see the README for every
   * parameter.
   *
   * @throws IllegalArgumentException naming the wrong part and showing a valid URI
   */
  public static KafkaSource fromUri(IoUri uri) {
    return of(KafkaSourceUri.parse(uri));
  }

  /** Reads as consumer group {@code group}: live, its committed offsets are used and advanced. */
  public KafkaSource withGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("withGroup() needs a group id, got " + group);
    }
    return with(settings().toBuilder().setGroup(group));
  }

  /** Starts at the oldest records kept. */
  public KafkaSource fromEarliest() {
    return with(settings().toBuilder().setStart(Start.EARLIEST).setStartTime(null));
  }

  /** Starts at the records written from now on. */
  public KafkaSource fromLatest() {
    return with(settings().toBuilder().setStart(Start.LATEST).setStartTime(null));
  }

  /**
   * Live: starts every partition at its first record whose Kafka timestamp is at or after {@code
   * time}. Replay: keeps the events whose event time is at or after it.
   */
  public KafkaSource from(Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("from() needs an instant, got null");
    }
    return with(settings().toBuilder().setStart(Start.TIME).setStartTime(time));
  }

  /** Bounded: reads up to the end offsets seen when the pipeline is built. */
  public KafkaSource untilEnd() {
    return with(settings().toBuilder().setStop(Stop.END).setStopTime(null));
  }

  /** Bounded: as {@link #untilEnd()}, keeping only events whose event time is before {@code t}. */
  public KafkaSource until(Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("until() needs an instant, got null");
    }
    return with(settings().toBuilder().setStop(Stop.TIME).setStopTime(time));
  }

  /** Event time from the payload's JSON field {@code field} (ISO-8601 or epoch millis). */
  public KafkaSource withPayloadTime(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("withPayloadTime() needs a field name, e.g. \"ts\"");
    }
    return with(settings().toBuilder().setEventTime(EventTime.PAYLOAD).setTimestampField(field));
  }

  /** Event time is the Kafka record timestamp. */
  public KafkaSource withRecordTime() {
    return with(settings().toBuilder().setEventTime(EventTime.RECORD));
  }

  /** How far behind the latest event an event may arrive and still be on time (live only). */
  public KafkaSource withMaxDisorder(Duration maxDisorder) {
    return with(settings().toBuilder().setMaxDisorder(maxDisorder));
  }

  /** Kafka consumer properties (SASL, SSL, timeouts, ...), added to those already set. */
  public KafkaSource withClientProperties(Map<String, String> properties) {
    Map<String, String> all = new LinkedHashMap<>(clientProperties());
    all.putAll(properties);
    for (String name : all.keySet()) {
      String advice = KafkaSourceUri.RESERVED.get(name);
      if (advice != null) {
        throw new IllegalArgumentException(
            "client property '" + name + "' is set by KafkaSource; " + advice);
      }
    }
    return with(settings().toBuilder().setClientProperties(Collections.unmodifiableMap(all)));
  }

  /** True for a replay ({@link #untilEnd()} or {@link #until}): the output is bounded. */
  public boolean isBounded() {
    return settings().isBounded();
  }

  /** The start that applies: as set, or latest live and earliest in a replay. */
  public Start effectiveStart() {
    return settings().effectiveStart();
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return isBounded() ? replay(begin) : live(begin);
  }

  /** A fixed history: offset ranges looked up now, each read (and split) by offset. */
  private PCollection<String> replay(PBegin begin) {
    List<PartitionRange> ranges =
        ReplayRanges.lookUp(
            bootstrapServers(),
            clientProperties(),
            topics(),
            consumerConfig(true),
            startingOffsets(),
            // The end as it is now: what is written after the launch is not part of the replay.
            OffsetsInitializer.latest());
    return begin
        .apply(
            "PartitionRanges",
            Create.of(ranges).withCoder(SerializableCoder.of(PartitionRange.class)))
        // Each range is split by offset; the shuffle lets ranges go to different workers.
        .apply("SpreadRanges", Reshuffle.viaRandomKey())
        .apply(
            "ReadRanges",
            ParDo.of(
                new ReadPartitionRangeFn(
                    consumerConfig(true), recordTime(), startTime(), stopTime())))
        .setCoder(StringUtf8Coder.of());
  }

  /** Unbounded, through KafkaIO, with this source's event time and watermark. */
  private PCollection<String> live(PBegin begin) {
    KafkaIO.Read<byte[], String> read =
        startingOffsets()
            .startLive(
                KafkaIO.<byte[], String>read()
                    .withBootstrapServers(bootstrapServers())
                    .withTopics(topics())
                    .withKeyDeserializer(ByteArrayDeserializer.class)
                    .withValueDeserializerAndCoder(
                        Utf8PayloadDeserializer.class, StringUtf8Coder.of())
                    .withConsumerConfigUpdates(consumerConfig(false))
                    .withConsumerFactoryFn(
                        ClientFactories.consumers(ClientFactories.hidden(clientProperties())))
                    .withTimestampPolicyFactory(
                        BoundedDisorderPolicy.factory(recordTime(), maxDisorder())));
    if (group() != null) {
      read = read.commitOffsetsInFinalize();
    }
    return begin
        .apply("ReadKafka", read)
        .apply("Payloads", ParDo.of(new PayloadFn()))
        .setCoder(StringUtf8Coder.of());
  }

  /**
   * Where each partition's read starts. Live, a group's committed offsets come first; a replay
   * never reads them, so that it cannot move a live job's position.
   */
  OffsetsInitializer startingOffsets() {
    return switch (effectiveStart()) {
      case EARLIEST -> committedFirst(OffsetsInitializer.earliest());
      case LATEST -> committedFirst(OffsetsInitializer.latest());
      case TIME -> OffsetsInitializer.timestamp(seekTime());
    };
  }

  private OffsetsInitializer committedFirst(OffsetsInitializer reset) {
    return !isBounded() && group() != null ? OffsetsInitializer.committed(reset) : reset;
  }

  /**
   * The record timestamp a time start seeks to. Kafka finds offsets by record timestamp only. In a
   * replay, payload times may run up to maxDisorder behind the record times, so the look-up starts
   * that much earlier and the reader then keeps the events from the start time on.
   */
  private Instant seekTime() {
    return isBounded() && eventTime() == EventTime.PAYLOAD
        ? startTime().minus(maxDisorder())
        : startTime();
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
   * our own replay reader and the offset look-up (which display nothing). Where a live read starts
   * is {@link #startingOffsets}' to set.
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
    return config;
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
