package dev.streamfirst.io.kafka;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.kafka.KafkaSource.EventTime;
import dev.streamfirst.io.kafka.KafkaSource.Start;
import dev.streamfirst.io.kafka.KafkaSource.Stop;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What a {@code kafka://host:port[,host:port...]/topic[,topic...]?parameters} source URI says, as a
 * value: {@link #parse} reads it once, {@link #toUri} writes it back, and {@link KafkaSource}'s
 * {@code withX} methods change it through its {@link Builder} without going through text.
 *
 * <pre>{@code
 * KafkaSourceUri settings = KafkaSourceUri.parse(IoUri.parse("kafka://b:9092/events?until=end"));
 * settings.toUri(); // "kafka://b:9092/events?until=end"
 * }</pre>
 */
@AutoValue
abstract class KafkaSourceUri implements Serializable {
  /** Client properties set from other parameters, each with the parameter to use instead. */
  static final Map<String, String> RESERVED = new LinkedHashMap<>();

  private static final Set<String> PARAMETERS = new LinkedHashSet<>();

  private static final String SCHEME_PREFIX = KafkaUris.SCHEME + "://";

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

  abstract String bootstrapServers();

  abstract List<String> topics();

  abstract @Nullable String group();

  /** Null until set: then {@link Start#LATEST} live and {@link Start#EARLIEST} in a replay. */
  abstract @Nullable Start start();

  abstract @Nullable Instant startTime();

  abstract Stop stop();

  abstract @Nullable Instant stopTime();

  abstract EventTime eventTime();

  abstract String timestampField();

  abstract Duration maxDisorder();

  /** Kafka client properties, secrets included: never print this map. */
  abstract Map<String, String> clientProperties();

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

    abstract KafkaSourceUri autoBuild();

    /** The value, with the settings that only make sense together checked. */
    KafkaSourceUri build() {
      KafkaSourceUri settings = autoBuild();
      settings.validate();
      return settings;
    }
  }

  /**
   * A live read of {@code topics} (a {@code topic[,topic...]} list each) from the brokers {@code
   * host:port[,host:port...]}, from the latest offsets, event time from the payload's {@code ts}.
   */
  static Builder of(String bootstrapServers, String... topics) {
    // Messages name the URI these arguments amount to, as they would had it been written.
    String where =
        "'"
            + Secrets.maskUri(
                SCHEME_PREFIX + bootstrapServers + "/" + String.join(",", List.of(topics)))
            + "'";
    return defaults(
        KafkaUris.bootstrapServers(bootstrapServers, where, KafkaSource.EXAMPLE),
        KafkaUris.topics(String.join(",", List.of(topics)), where, KafkaSource.EXAMPLE),
        Map.of());
  }

  private static Builder defaults(
      String servers, List<String> topics, Map<String, String> clientProperties) {
    return new AutoValue_KafkaSourceUri.Builder()
        .setBootstrapServers(servers)
        .setTopics(topics)
        .setStop(Stop.NEVER)
        .setEventTime(EventTime.PAYLOAD)
        .setTimestampField(KafkaSource.DEFAULT_TIMESTAMP_FIELD)
        .setMaxDisorder(KafkaSource.DEFAULT_MAX_DISORDER)
        .setClientProperties(clientProperties);
  }

  /**
   * Reads what {@code kafka://host:port/topic1,topic2?parameters} says; see the README for every
   * parameter. A {@code properties=} file is read here, once.
   *
   * @throws IllegalArgumentException naming the wrong part and showing a valid URI
   */
  static KafkaSourceUri parse(IoUri uri) {
    String example = KafkaSource.EXAMPLE;
    KafkaUris.requireKafka(uri, example);
    String servers = KafkaUris.bootstrapServers(uri, example);
    List<String> topics = KafkaUris.topics(uri, example);
    Map<String, String> parameters = uri.queryParameters();
    KafkaUris.requireKnown(uri, parameters, PARAMETERS, example);
    Builder builder =
        defaults(servers, topics, KafkaUris.clientProperties(uri, parameters, RESERVED, example));
    String group = parameters.get("group");
    if (group != null) {
      if (group.isBlank()) {
        throw new IllegalArgumentException(
            "parameter 'group' in '" + uri + "' is empty; e.g. " + example + "?group=rollup");
      }
      builder.setGroup(group);
    }
    String from = parameters.get("from");
    if (from != null) {
      switch (from) {
        case "earliest" -> builder.setStart(Start.EARLIEST);
        case "latest" -> builder.setStart(Start.LATEST);
        default -> {
          if (!from.contains("T")) {
            throw new IllegalArgumentException(
                "parameter 'from' in '"
                    + uri
                    + "' must be earliest, latest or an ISO-8601 instant, got '"
                    + from
                    + "'; e.g. "
                    + example
                    + "?from=2026-11-25T00:00:00Z");
          }
          builder
              .setStart(Start.TIME)
              .setStartTime(
                  KafkaUris.instant(uri, "from", from, example + "?from=2026-11-25T00:00:00Z"));
        }
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
                  + example
                  + "?until=end");
        }
        builder
            .setStop(Stop.TIME)
            .setStopTime(
                KafkaUris.instant(uri, "until", until, example + "?until=2026-11-26T00:00:00Z"));
      }
    }
    String time = parameters.get("time");
    if (time != null) {
      switch (time.toLowerCase(Locale.ROOT)) {
        case "payload" -> builder.setEventTime(EventTime.PAYLOAD);
        case "record" -> builder.setEventTime(EventTime.RECORD);
        default ->
            throw new IllegalArgumentException(
                "parameter 'time' in '"
                    + uri
                    + "' must be payload (the event's time field) or record (the Kafka timestamp),"
                    + " got '"
                    + time
                    + "'; e.g. "
                    + example
                    + "?time=record");
      }
    }
    String field = parameters.get("tsField");
    if (field != null) {
      if (field.isBlank()) {
        throw new IllegalArgumentException(
            "parameter 'tsField' in '" + uri + "' is empty; e.g. " + example + "?tsField=ts");
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
          KafkaUris.duration(uri, "maxDisorder", disorder, example + "?maxDisorder=30s"));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': " + e.getMessage(), e);
    }
  }

  /** True for a replay ({@code until=}): the read is bounded. */
  boolean isBounded() {
    return stop() != Stop.NEVER;
  }

  /** The start that applies: as set, or latest live and earliest in a replay. */
  Start effectiveStart() {
    Start start = start();
    if (start != null) {
      return start;
    }
    return isBounded() ? Start.EARLIEST : Start.LATEST;
  }

  /**
   * The URI that {@link #parse} reads back as this value, parameters at their defaults left out.
   * Client properties are written inline as {@code kafka.<name>=} parameters, secrets included:
   * never print it (use {@link #toString}). A payload time field is left out with record time,
   * where it has no effect.
   */
  String toUri() {
    return format(clientProperties());
  }

  /** {@link #toUri} with the values of secret client properties masked: safe to print. */
  @Override
  public String toString() {
    return format(Secrets.mask(clientProperties()));
  }

  private String format(Map<String, String> properties) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (group() != null) {
      parameters.put("group", group());
    }
    Start start = start();
    if (start != null) {
      parameters.put(
          "from",
          start == Start.TIME
              ? String.valueOf(startTime())
              : start.name().toLowerCase(Locale.ROOT));
    }
    String until =
        switch (stop()) {
          case NEVER -> null;
          case END -> "end";
          case TIME -> String.valueOf(stopTime());
        };
    if (until != null) {
      parameters.put("until", until);
    }
    boolean recordTime =
        switch (eventTime()) {
          case PAYLOAD -> false;
          case RECORD -> true;
        };
    if (recordTime) {
      parameters.put("time", "record");
    } else if (!timestampField().equals(KafkaSource.DEFAULT_TIMESTAMP_FIELD)) {
      parameters.put("tsField", timestampField());
    }
    if (!maxDisorder().equals(KafkaSource.DEFAULT_MAX_DISORDER)) {
      parameters.put("maxDisorder", Durations.format(maxDisorder()));
    }
    properties.forEach((name, value) -> parameters.put(KafkaUris.CLIENT_PREFIX + name, value));
    StringBuilder uri =
        new StringBuilder(SCHEME_PREFIX)
            .append(bootstrapServers())
            .append('/')
            .append(String.join(",", topics()));
    String separator = "?";
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      uri.append(separator)
          .append(parameter.getKey())
          .append('=')
          .append(escape(parameter.getValue()));
      separator = "&";
    }
    return uri.toString();
  }

  /**
   * Percent-escapes what would end or split a query value ({@code &}, {@code #}, {@code %}, spaces,
   * quotes, non-ASCII); {@link IoUri#queryParameters} decodes it, and keeps {@code +} and {@code :}
   * as they are, so instants stay readable.
   */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "-._~:+,/*".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
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
}
