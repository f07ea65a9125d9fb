package dev.streamfirst.io.redis;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.transforms.aggregate.StatsRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Keeps the latest result row per key in Redis, for dashboards that show "now" per key.
 *
 * <p>Each key's row lives in a hash at {@code <prefix><key>} (e.g. {@code rollup:sensor-7}): field
 * {@code row} holds the row's JSON exactly as the pipeline wrote it; {@code window_end_ms}, {@code
 * window_start_ms} and {@code pane_index} say which window and pane it is. A row only replaces the
 * stored one if it is newer: a later window (by end, then start), or a higher pane of the same
 * window. The check and the write are one Lua script, so concurrent workers and replays of old
 * panes can never put an older row back. Read it with {@code HGET rollup:sensor-7 row}.
 *
 * <p>Beam's {@code RedisIO.write()} only has unconditional commands (SET, APPEND, LPUSH, ...), so
 * the write is done here, pipelined per bundle. {@code rediss://} connects with TLS (the server's
 * certificate checked against {@code cacert=} or the JVM's trust store, and against the host name),
 * and {@code user:password@} authenticates as a Redis 6 ACL user.
 *
 * <pre>{@code
 * rows.apply("LatestPerKey", RedisSink.to("redis.internal", 6379).withPrefix("rollup:"));
 * // or, from a URI option:
 * rows.apply("LatestPerKey", Sinks.write("redis://redis.internal:6379?prefix=rollup:"));
 * }</pre>
 */
@AutoValue
public abstract class RedisSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to. */
  public static final String SCHEME = "redis";

  /** The scheme of the same sink over TLS. */
  public static final String TLS_SCHEME = "rediss";

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "redis://localhost:6379?prefix=rollup:";

  public static final int DEFAULT_PORT = 6379;

  /** The key prefix unless {@code prefix=} says otherwise. */
  public static final String DEFAULT_PREFIX = "rollup:";

  /** The hash field holding the row's JSON. */
  public static final String ROW_FIELD = "row";

  private static final int MAX_PIPELINED = 1000;
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final Set<String> PARAMETERS = Set.of("prefix", "cacert", "password");

  // KEYS[1]: the hash; ARGV: row JSON, window end ms, window start ms, pane index.
  // Lua numbers are doubles, exact for epoch milliseconds and pane indices.
  static final String REPLACE_IF_NEWER =
      "local s = redis.call('HMGET', KEYS[1], 'window_end_ms', 'window_start_ms', 'pane_index')\n"
          + "if s[1] then\n"
          + "  local e, b, p = tonumber(s[1]), tonumber(s[2]), tonumber(s[3])\n"
          + "  local ne, nb, np = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
          + "  if ne < e or (ne == e and (nb < b or (nb == b and np <= p))) then return 0 end\n"
          + "end\n"
          + "redis.call('HSET', KEYS[1], 'row', ARGV[1], 'window_end_ms', ARGV[2],"
          + " 'window_start_ms', ARGV[3], 'pane_index', ARGV[4])\n"
          + "return 1\n";

  public abstract String host();

  public abstract int port();

  public abstract String prefix();

  abstract @Nullable String password();

  abstract @Nullable String user();

  /** Whether the connection is TLS, with the server's certificate and host name checked. */
  public abstract boolean tls();

  abstract @Nullable String caCertificate();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setHost(String host);

    abstract Builder setPort(int port);

    abstract Builder setPrefix(String prefix);

    abstract Builder setPassword(@Nullable String password);

    abstract Builder setUser(@Nullable String user);

    abstract Builder setTls(boolean tls);

    abstract Builder setCaCertificate(@Nullable String path);

    abstract RedisSink build();
  }

  /** Writes to the Redis server at {@code host:port}, under keys {@value #DEFAULT_PREFIX}key. */
  public static RedisSink to(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a Redis host is required; e.g. " + EXAMPLE);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Redis port must be 1 to 65535, got " + port + "; e.g. " + EXAMPLE);
    }
    return new AutoValue_RedisSink.Builder()
        .setHost(host)
        .setPort(port)
        .setPrefix(DEFAULT_PREFIX)
        .setTls(false)
        .build();
  }

  /**
   * Reads {@code redis://[[user]:password@]host[:port][?prefix=P]}, or {@code rediss://...} for
   * TLS, where {@code cacert=/path/ca.pem} names the authority that signed the server's certificate
   * (else the JVM's trust store decides). The port defaults to {@value #DEFAULT_PORT}, the prefix
   * to {@value #DEFAULT_PREFIX}; the password may be a {@code ${env:NAME}} or {@code ${file:/path}}
   * reference, given before the host or, as references to files must be, as {@code ?password=}.
   */
  public static RedisSink fromUri(IoUri uri) {
    boolean tls = TLS_SCHEME.equals(uri.scheme());
    if (!uri.hasAuthority() || uri.authority().isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no host; e.g. " + EXAMPLE);
    }
    if (!uri.path().isEmpty() && !uri.path().equals("/")) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri)
              + "' has a path '"
              + uri.path()
              + "'; a Redis sink takes only host, port, ?prefix= and ?cacert=, e.g. "
              + EXAMPLE);
    }
    String authority = uri.authority();
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      user =
          colon == 0 || userInfo.isEmpty()
              ? null
              : userInfo.substring(0, colon < 0 ? userInfo.length() : colon);
      password = colon < 0 || colon == userInfo.length() - 1 ? null : userInfo.substring(colon + 1);
      authority = authority.substring(at + 1);
    }
    if (uri.queryParameters().containsKey("password")) {
      // A ${file:/path} reference cannot stand before the host: its slashes would end it.
      password = uri.queryParameters().get("password");
    }
    if (user != null && password == null) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri)
              + "': user '"
              + user
              + "' needs a password, written redis://user:password@host:port or"
              + " redis://user@host:port?password=${file:/path} (or redis://:password@host:port"
              + " for the default user)");
    }
    String host = authority;
    int port = DEFAULT_PORT;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      String portText = authority.substring(colon + 1);
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "port '" + portText + "' in '" + redact(uri) + "' is not 1 to 65535; e.g. " + EXAMPLE);
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Map<String, String> parameters = uri.queryParameters();
    Set<String> unknown = new TreeSet<>(parameters.keySet());
    unknown.removeAll(PARAMETERS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown Redis sink parameter(s) "
              + unknown
              + " in '"
              + redact(uri)
              + "'; valid: prefix, cacert, password, e.g. "
              + EXAMPLE);
    }
    String caCertificate = parameters.get("cacert");
    if (caCertificate != null && !tls) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri)
              + "': cacert= is for TLS; use rediss://"
              + uri.authority().substring(uri.authority().lastIndexOf('@') + 1)
              + " to connect with TLS");
    }
    RedisSink sink = to(host, port);
    if (password != null) {
      sink = sink.withPassword(password);
    }
    if (user != null) {
      sink = sink.withUser(user);
    }
    if (tls) {
      sink = caCertificate == null ? sink.withTls() : sink.withTls(caCertificate);
    }
    return parameters.containsKey("prefix") ? sink.withPrefix(parameters.get("prefix")) : sink;
  }

  /** Keys are {@code prefix + row key}; may be empty. */
  public RedisSink withPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("withPrefix() needs a prefix (may be empty), got null");
    }
    return toBuilder().setPrefix(prefix).build();
  }

  /** Authenticates with {@code password}; it never appears in display data or toString(). */
  public RedisSink withPassword(String password) {
    return toBuilder().setPassword(password).build();
  }

  /** Authenticates as the ACL user {@code user} (Redis 6 or later), with the password given. */
  public RedisSink withUser(String user) {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("withUser() needs a user name, got '" + user + "'");
    }
    return toBuilder().setUser(user).build();
  }

  /** Connects with TLS, trusting the authorities of the JVM's trust store. */
  public RedisSink withTls() {
    return toBuilder().setTls(true).setCaCertificate(null).build();
  }

  /**
   * Connects with TLS, trusting the authority whose PEM certificate is at {@code caCertificate} on
   * every worker.
   */
  public RedisSink withTls(String caCertificate) {
    if (caCertificate == null || caCertificate.isBlank()) {
      throw new IllegalArgumentException(
          "withTls() needs the path of a PEM certificate, got '" + caCertificate + "'");
    }
    return toBuilder().setTls(true).setCaCertificate(caCertificate).build();
  }

  @Override
  public PDone expand(PCollection<String> rows) {
    RedisConnection connection =
        new RedisConnection(
            host(), port(), user(), password(), tls(), caCertificate(), TIMEOUT_MILLIS);
    rows.apply("ReplaceIfNewer", ParDo.of(new ReplaceIfNewerFn(connection, prefix())));
    return PDone.in(rows.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("address", host() + ":" + port()).withLabel("Redis server"))
        .add(DisplayData.item("tls", tls()).withLabel("TLS"))
        .addIfNotNull(DisplayData.item("user", user()).withLabel("Redis user"))
        .add(DisplayData.item("prefix", prefix()).withLabel("Key prefix (latest row per key)"));
  }

  @Override
  public String toString() {
    return "RedisSink{"
        + (tls() ? "tls, " : "")
        + (user() == null ? "" : user() + "@")
        + host()
        + ":"
        + port()
        + ", prefix="
        + prefix()
        + "}";
  }

  private static String redact(IoUri uri) {
    return Secrets.maskUri(uri.toString());
  }

  private static final class ReplaceIfNewerFn extends DoFn<String, Void> {
    private final RedisConnection connection;
    private final String prefix;

    private transient @Nullable Jedis jedis;
    private transient @Nullable Pipeline pipeline;
    private transient List<Response<Object>> pending;

    ReplaceIfNewerFn(RedisConnection connection, String prefix) {
      this.connection = connection;
      this.prefix = prefix;
    }

    @Setup
    public void setup() {
      jedis = connection.connect();
    }

    @StartBundle
    public void startBundle() {
      pipeline = jedis.pipelined();
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element String json) {
      StatsRow row = StatsRow.fromJson(json);
      // EVAL, not EVALSHA: the server caches the compiled script either way, and EVAL cannot
      // fail with NOSCRIPT after a Redis restart.
      pending.add(
          pipeline.eval(
              REPLACE_IF_NEWER,
              List.of(prefix + row.key()),
              List.of(
                  json,
                  Long.toString(row.windowEnd().getMillis()),
                  Long.toString(row.windowStart().getMillis()),
                  Long.toString(row.paneIndex()))));
      if (pending.size() >= MAX_PIPELINED) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    @Teardown
    public void teardown() {
      if (jedis != null) {
        jedis.close();
        jedis = null;
      }
    }

    private void flush() {
      pipeline.sync();
      // A failed command only shows when its response is read; reading each makes the bundle
      // fail (and be retried) instead of dropping a row silently.
      try {
        for (Response<Object> response : pending) {
          response.get();
        }
      } catch (JedisDataException e) {
        if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
          throw new IllegalStateException(
              "authorization: Redis "
                  + connection.describe()
                  + " does not let this user write keys under prefix '"
                  + prefix
                  + "' ("
                  + e.getMessage()
                  + "); grant it with an ACL rule such as ~"
                  + prefix
                  + "* +@hash +eval",
              e);
        }
        throw e;
      } finally {
        pending.clear();
      }
    }
  }
}
