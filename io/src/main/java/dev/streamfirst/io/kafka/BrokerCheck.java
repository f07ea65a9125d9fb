package dev.streamfirst.io.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.joda.time.Duration;

/**
 * Whether a Kafka cluster answers, asked once before a run starts. Without it, a source or sink at
 * a wrong address starts, retries in the background for the client's whole look-up timeout, logs a
 * warning per retry and only then fails with a stack trace; this says it in one line, in a few
 * seconds. The wait is the client's own {@code default.api.timeout.ms}, given in the URI as {@code
 * kafka.default.api.timeout.ms=30000}, or {@link #DEFAULT_TIMEOUT}.
 *
 * <pre>{@code
 * BrokerCheck.problem(source.bootstrapServers(), source.clientProperties())
 *     .ifPresent(p -> fail("--source: " + p));
 * }</pre>
 */
public final class BrokerCheck {
  /** How long the brokers have to answer, unless the URI sets {@code default.api.timeout.ms}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.standardSeconds(5);

  static final String TIMEOUT_PROPERTY = "default.api.timeout.ms";

  private BrokerCheck() {}

  /** Why the cluster at {@code bootstrapServers} cannot be used, in one line, or empty. */
  public static Optional<String> problem(
      String bootstrapServers, Map<String, String> clientProperties) {
    long timeoutMs;
    try {
      timeoutMs = timeout(clientProperties).getMillis();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    // A few attempts within the wait, not one every 50 ms.
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, Math.max(50, timeoutMs / 4));
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, Math.max(50, timeoutMs / 4));
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "streamfirst-broker-check");
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (org.apache.kafka.common.KafkaException e) {
      return Optional.of("cannot connect to Kafka at " + bootstrapServers + ": " + e.getMessage());
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
          .nodes()
          .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.of(
          "no Kafka broker answered at "
              + bootstrapServers
              + " within "
              + timeoutMs / 1000.0
              + " s; check host and port, or wait longer with kafka."
              + TIMEOUT_PROPERTY
              + "=30000 in the URI");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while asking Kafka at " + bootstrapServers);
    } finally {
      admin.close(java.time.Duration.ZERO);
    }
  }

  /** The look-up timeout the URI's client properties ask for, or {@link #DEFAULT_TIMEOUT}. */
  public static Duration timeout(Map<String, String> clientProperties) {
    String given = clientProperties.get(TIMEOUT_PROPERTY);
    if (given == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      long ms = Long.parseLong(given.trim());
      if (ms > 0) {
        return Duration.millis(ms);
      }
    } catch (NumberFormatException e) {
      // Kafka's own config check reports it with its words when the client is created.
    }
    throw new IllegalArgumentException(
        "kafka." + TIMEOUT_PROPERTY + " must be a positive number of milliseconds, got " + given);
  }
}
