package dev.streamfirst.io.kafka;

import dev.streamfirst.io.SecretReferences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.joda.time.Duration;

/**
 * Whether a Kafka cluster answers, asked once before a run starts. Without it, a source or sink at
 * a wrong address starts, retries in the background for the client's whole look-up timeout, logs a
 * warning per retry and only then fails with a stack trace; this says it in one line, in a few
 * seconds. The wait is the client's own {@code default.api.timeout.ms}, given in the URI as {@code
 * kafka.default.api.timeout.ms=30000}, or {@link #DEFAULT_TIMEOUT}.
 *
 * <p>On a secured cluster the same question tells apart the three ways a login goes wrong, each of
 * which a client would otherwise retry for a while: the broker's certificate is not trusted (TLS),
 * the user or password is wrong (SASL), or the user may not use the topics the way the run needs
 * (ACLs, when topics and an {@link Access} are given).
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

  private static final java.util.regex.Pattern JAAS_USER =
      java.util.regex.Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  /** What a run does with its topics, and so which ACL operation it needs on each. */
  public enum Access {
    READ(AclOperation.READ, "read"),
    WRITE(AclOperation.WRITE, "write to");

    private final AclOperation operation;
    private final String verb;

    Access(AclOperation operation, String verb) {
      this.operation = operation;
      this.verb = verb;
    }
  }

  private BrokerCheck() {}

  /** Why the cluster at {@code bootstrapServers} cannot be used, in one line, or empty. */
  public static Optional<String> problem(
      String bootstrapServers, Map<String, String> clientProperties) {
    return problem(bootstrapServers, clientProperties, List.of(), Access.READ);
  }

  /**
   * Why the cluster at {@code bootstrapServers} cannot be used for {@code access} on {@code
   * topics}, in one line, or empty: unreachable, TLS trust, login, a missing topic, or a missing
   * ACL.
   */
  public static Optional<String> problem(
      String bootstrapServers,
      Map<String, String> clientProperties,
      List<String> topics,
      Access access) {
    return check(bootstrapServers, clientProperties, topics, access).map(Problem::message);
  }

  /** What kind of problem {@link #check} found. */
  public enum Kind {
    /** No answer in time, or a client setting Kafka refused. */
    UNREACHABLE,
    /** The TLS handshake failed: the broker's certificate is not trusted or does not match. */
    TLS_TRUST,
    /** The SASL login was refused: wrong user, password or mechanism. */
    AUTHENTICATION,
    /** The user may not use a topic the way the run needs. */
    AUTHORIZATION,
    /** A topic does not exist. */
    NO_TOPIC
  }

  /** A problem found by {@link #check}: its kind and a one-line message naming the fix. */
  public record Problem(Kind kind, String message) {}

  /** Like {@link #problem(String, Map, List, Access)}, with the kind of problem. */
  public static Optional<Problem> check(
      String bootstrapServers,
      Map<String, String> clientProperties,
      List<String> topics,
      Access access) {
    long timeoutMs;
    try {
      timeoutMs = timeout(clientProperties).getMillis();
    } catch (IllegalArgumentException e) {
      return Optional.of(new Problem(Kind.UNREACHABLE, e.getMessage()));
    }
    Map<String, String> resolved;
    try {
      resolved = SecretReferences.resolve(clientProperties);
    } catch (IllegalArgumentException e) {
      return Optional.of(new Problem(Kind.AUTHENTICATION, e.getMessage()));
    }
    Map<String, Object> config = new HashMap<>(resolved);
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
      return Optional.of(
          new Problem(
              Kind.UNREACHABLE,
              "cannot connect to Kafka at "
                  + bootstrapServers
                  + ": "
                  + e.getMessage()
                  + " ("
                  + withoutSecrets(withoutSecrets(rootMessage(e), resolved), clientProperties)
                  + ")"));
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
          .nodes()
          .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      if (topics.isEmpty()) {
        return Optional.empty();
      }
      Map<String, TopicDescription> described =
          admin
              .describeTopics(
                  topics,
                  new DescribeTopicsOptions()
                      .includeAuthorizedOperations(true)
                      .timeoutMs((int) timeoutMs))
              .allTopicNames()
              .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      for (String topic : topics) {
        Set<AclOperation> allowed = described.get(topic).authorizedOperations();
        if (allowed != null
            && !allowed.contains(access.operation)
            && !allowed.contains(AclOperation.ALL)) {
          return Optional.of(
              new Problem(
                  Kind.AUTHORIZATION,
                  notAuthorized(bootstrapServers, clientProperties, topic, access)));
        }
      }
      return Optional.empty();
    } catch (ExecutionException e) {
      Problem problem =
          explain(bootstrapServers, clientProperties, topics, access, e.getCause(), timeoutMs);
      // A topic a sink writes to may not exist yet: brokers that create topics on first write
      // make it then, and the others refuse the write with their own message.
      if (problem.kind() == Kind.NO_TOPIC && access == Access.WRITE) {
        return Optional.empty();
      }
      return Optional.of(problem);
    } catch (TimeoutException e) {
      return Optional.of(
          new Problem(
              Kind.UNREACHABLE,
              "no Kafka broker answered at "
                  + bootstrapServers
                  + " within "
                  + timeoutMs / 1000.0
                  + " s; check host and port, or wait longer with kafka."
                  + TIMEOUT_PROPERTY
                  + "=30000 in the URI"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(
          new Problem(Kind.UNREACHABLE, "interrupted while asking Kafka at " + bootstrapServers));
    } finally {
      admin.close(java.time.Duration.ZERO);
    }
  }

  private static Problem explain(
      String servers,
      Map<String, String> properties,
      List<String> topics,
      Access access,
      Throwable cause,
      long timeoutMs) {
    if (cause instanceof SslAuthenticationException) {
      return new Problem(
          Kind.TLS_TRUST,
          "TLS handshake with Kafka at "
              + servers
              + " failed, the broker's certificate is not trusted or does not match its address ("
              + rootMessage(cause)
              + "); set kafka.ssl.truststore.location (and kafka.ssl.truststore.password) to a trust"
              + " store that holds the CA that signed the broker's certificate");
    }
    if (cause instanceof SaslAuthenticationException) {
      return new Problem(
          Kind.AUTHENTICATION,
          "authentication failed: Kafka at "
              + servers
              + " refused the login"
              + user(properties).map(u -> " of user '" + u + "'").orElse("")
              + " ("
              + cause.getMessage()
              + "); check the user name and password in kafka.sasl.jaas.config and kafka.sasl.mechanism");
    }
    if (cause instanceof AuthorizationException) {
      String topic = topics.size() == 1 ? topics.get(0) : String.join(",", topics);
      return new Problem(Kind.AUTHORIZATION, notAuthorized(servers, properties, topic, access));
    }
    if (cause instanceof UnknownTopicOrPartitionException) {
      return new Problem(
          Kind.NO_TOPIC,
          "topic "
              + String.join(",", topics)
              + " does not exist on Kafka at "
              + servers
              + " (or this user may not see it)");
    }
    return new Problem(
        Kind.UNREACHABLE,
        "no Kafka broker answered at "
            + servers
            + " within "
            + timeoutMs / 1000.0
            + " s; check host and port, or wait longer with kafka."
            + TIMEOUT_PROPERTY
            + "=30000 in the URI");
  }

  private static String notAuthorized(
      String servers, Map<String, String> properties, String topic, Access access) {
    String who = user(properties).map(u -> "user '" + u + "'").orElse("this client");
    return "authorization failed: "
        + who
        + " may not "
        + access.verb
        + " topic '"
        + topic
        + "' on Kafka at "
        + servers
        + "; an ACL must allow User:"
        + user(properties).orElse("<user>")
        + " "
        + access.operation
        + " on topic "
        + topic
        + (access == Access.READ ? " (and READ on the consumer group, if group= is set)" : "");
  }

  /** The SASL user named in {@code sasl.jaas.config}, if any; never the password. */
  static Optional<String> user(Map<String, String> properties) {
    String jaas = properties.get("sasl.jaas.config");
    if (jaas == null) {
      return Optional.empty();
    }
    java.util.regex.Matcher matcher = JAAS_USER.matcher(jaas);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** {@code message} with every secret client property's value replaced by the mask. */
  private static String withoutSecrets(String message, Map<String, String> properties) {
    String out = message;
    for (Map.Entry<String, String> property : properties.entrySet()) {
      String value = property.getValue();
      if (dev.streamfirst.io.Secrets.isSecret(property.getKey())
          && value != null
          && !value.isEmpty()) {
        out = out.replace(value, dev.streamfirst.io.Secrets.MASK);
      }
    }
    return out;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
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
