package dev.streamfirst.io.kafka;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.transforms.time.Durations;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The parts of a {@code kafka://host:port[,host:port...]/topic[,topic...]?...} URI that the source
 * and the sink share: brokers, topics and client properties. Every message names the wrong part and
 * shows a valid URI; none shows a secret.
 */
final class KafkaUris {
  static final String SCHEME = "kafka";

  /** Query parameters that pass a Kafka client property through: {@code kafka.<property>=v}. */
  static final String CLIENT_PREFIX = "kafka.";

  /** A properties file of client settings (SASL, SSL, ...), read when the URI is parsed. */
  static final String PROPERTIES = "properties";

  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9._\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+\\]:\\d{1,5}");
  // Kafka's own rule: letters, digits, '.', '_' and '-', at most 249 characters.
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

  private KafkaUris() {}

  static void requireKafka(IoUri uri, String example) {
    if (!SCHEME.equals(uri.scheme())) {
      throw new IllegalArgumentException(
          "expected a kafka: URI, got scheme '" + uri.scheme() + "' in '" + uri + "'");
    }
    if (!uri.hasAuthority()) {
      throw new IllegalArgumentException(
          "'" + uri + "' has no brokers: write kafka://host:port/topic, e.g. " + example);
    }
  }

  /** {@code host:port[,host:port...]}, checked. */
  static String bootstrapServers(IoUri uri, String example) {
    return bootstrapServers(uri.authority(), "'" + uri + "'", example);
  }

  /**
   * {@code host:port[,host:port...]}, checked; {@code where} names what holds them in messages,
   * such as the quoted URI.
   */
  static String bootstrapServers(String servers, String where, String example) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException(
          where + " names no broker: write kafka://host:port/topic, e.g. " + example);
    }
    if (servers.contains("@")) {
      throw new IllegalArgumentException(
          where
              + " has a user name or password before the brokers; pass credentials as client"
              + " properties (properties=/abs/client.properties or kafka.sasl.jaas.config=...),"
              + " e.g. "
              + example);
    }
    for (String broker : servers.split(",", -1)) {
      if (!HOST_PORT.matcher(broker).matches()) {
        throw new IllegalArgumentException(
            "broker '"
                + broker
                + "' in "
                + where
                + " is not host:port; e.g. "
                + example
                + " or kafka://b1:9092,b2:9092/topic");
      }
      int port = Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "port " + port + " of broker '" + broker + "' in " + where + " is not 1..65535");
      }
    }
    return servers;
  }

  /** The topics after the brokers: {@code /topic} or {@code /topic1,topic2}. */
  static List<String> topics(IoUri uri, String example) {
    String path = uri.path();
    return topics(path.startsWith("/") ? path.substring(1) : path, "'" + uri + "'", example);
  }

  /**
   * The topics of {@code topic[,topic...]}, checked; {@code where} names what holds them in
   * messages, such as the quoted URI.
   */
  static List<String> topics(String list, String where, String example) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException(
          where + " names no topic: write kafka://host:port/topic, e.g. " + example);
    }
    List<String> topics = new ArrayList<>();
    for (String topic : list.split(",", -1)) {
      if (!TOPIC.matcher(topic).matches()) {
        throw new IllegalArgumentException(
            "topic '"
                + topic
                + "' in "
                + where
                + " is not a Kafka topic name (letters, digits, '.', '_', '-'); e.g. "
                + example);
      }
      if (topics.contains(topic)) {
        throw new IllegalArgumentException("topic '" + topic + "' is named twice in " + where);
      }
      topics.add(topic);
    }
    return Collections.unmodifiableList(topics);
  }

  /**
   * Client properties from {@code properties=/abs/file} and {@code kafka.<name>=value} parameters;
   * a parameter overrides the file. Properties the transform sets itself are refused, naming the
   * parameter to use instead.
   *
   * @param reserved property name to the advice for it, e.g. {@code group.id -> "use group="}
   */
  static Map<String, String> clientProperties(
      IoUri uri, Map<String, String> parameters, Map<String, String> reserved, String example) {
    Map<String, String> properties = new LinkedHashMap<>();
    String file = parameters.get(PROPERTIES);
    if (file != null) {
      properties.putAll(readProperties(uri, file, example));
    }
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      if (parameter.getKey().startsWith(CLIENT_PREFIX)) {
        String name = parameter.getKey().substring(CLIENT_PREFIX.length());
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              "parameter 'kafka.' in '"
                  + uri
                  + "' names no client property; e.g. "
                  + example
                  + "&kafka.security.protocol=SASL_SSL");
        }
        properties.put(name, parameter.getValue());
      }
    }
    for (String name : properties.keySet()) {
      String advice = reserved.get(name);
      if (advice != null) {
        throw new IllegalArgumentException(
            "client property '" + name + "' in '" + uri + "' is set by Streamfirst; " + advice);
      }
    }
    return Collections.unmodifiableMap(properties);
  }

  /** Refuses parameters that are neither known nor client properties, listing the known ones. */
  static void requireKnown(
      IoUri uri, Map<String, String> parameters, Set<String> known, String example) {
    for (String name : parameters.keySet()) {
      if (!known.contains(name) && !name.startsWith(CLIENT_PREFIX)) {
        throw new IllegalArgumentException(
            "unknown parameter '"
                + name
                + "' in '"
                + uri
                + "'; known: "
                + String.join(", ", known)
                + ", kafka.<client property>; e.g. "
                + example);
      }
    }
  }

  static Instant instant(IoUri uri, String name, String value, String example) {
    try {
      return new Instant(OffsetDateTime.parse(value).toInstant().toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' in '"
              + uri
              + "' must be an ISO-8601 instant with an offset such as 2026-11-25T10:00:00Z, got '"
              + value
              + "'; e.g. "
              + example);
    }
  }

  static Duration duration(IoUri uri, String name, String value, String example) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' in '"
              + uri
              + "' must be a duration such as "
              + Durations.EXAMPLES
              + ", got '"
              + value
              + "'; e.g. "
              + example);
    }
  }

  static String showValue(String name, String value) {
    return Secrets.mask(name, value);
  }

  private static Map<String, String> readProperties(IoUri uri, String file, String example) {
    Path path = Paths.get(file);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(
          "parameter 'properties' in '"
              + uri
              + "' must be an absolute path, got '"
              + file
              + "'; e.g. "
              + example
              + "&properties=/etc/streamfirst/kafka-client.properties");
    }
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      loaded.load(reader);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "client properties file '" + file + "' named in '" + uri + "' does not exist");
    } catch (IOException | IllegalArgumentException e) {
      // The exception text may quote a line of the file, and with it a secret: say only where.
      throw new IllegalArgumentException(
          "client properties file '"
              + file
              + "' named in '"
              + uri
              + "' cannot be read as a .properties file ("
              + e.getClass().getSimpleName()
              + ")");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (String name : loaded.stringPropertyNames().stream().sorted().toList()) {
      properties.put(name, loaded.getProperty(name));
    }
    return properties;
  }
}
