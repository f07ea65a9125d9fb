package dev.streamfirst.io.redis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.PanedRows;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.testing.servers.redis.RedisServer;
import dev.streamfirst.testing.servers.tls.TestCertificates;
import dev.streamfirst.transforms.aggregate.StatsRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import redis.clients.jedis.Jedis;

/**
 * The Redis sink against a real server that speaks only TLS and has no anonymous user: the right
 * user writes; a wrong password, an authority the client does not trust, a certificate for another
 * host and a user without write access each fail with their cause named.
 */
public class SecuredRedisSinkIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final RedisServer redis = RedisServer.sharedSecured();

  @Test
  public void writerOverTls_writesTheLatestRowPerKey() {
    String prefix = "rollup:tls" + System.nanoTime() + ":";
    PanedRows panes = PanedRows.create();

    p.apply(panes).apply(Sinks.write(uri(RedisServer.WRITER, password(), "localhost", prefix)));
    p.run().waitUntilFinish();

    Map<String, StatsRow> latest =
        PanedRows.latest(
            panes.emitted(),
            StatsRow::key,
            java.util.Comparator.comparing(StatsRow::windowEnd)
                .thenComparing(StatsRow::windowStart)
                .thenComparingLong(StatsRow::paneIndex));
    try (Jedis reader = client(RedisServer.READER)) {
      for (Map.Entry<String, StatsRow> expected : latest.entrySet()) {
        assertEquals(
            expected.getValue(),
            StatsRow.fromJson(reader.hget(prefix + expected.getKey(), RedisSink.ROW_FIELD)));
      }
      assertEquals(latest.size(), reader.keys(prefix + "*").size());
    }
  }

  @Test
  public void passwordFromAFile_isResolvedOnTheWorker() throws Exception {
    String prefix = "rollup:file" + System.nanoTime() + ":";
    Path secret = folder.newFile("redis-password").toPath();
    Files.writeString(secret, password() + "\n");

    p.apply(Create.of(row("k")))
        .apply(
            Sinks.write(
                "rediss://"
                    + RedisServer.WRITER
                    + "@localhost:"
                    + redis.port()
                    + "?password=${file:"
                    + secret
                    + "}&prefix="
                    + prefix
                    + "&cacert="
                    + redis.certificates().caCertificate()));
    p.run().waitUntilFinish();

    try (Jedis reader = client(RedisServer.READER)) {
      assertEquals(row("k"), reader.hget(prefix + "k", RedisSink.ROW_FIELD));
    }
  }

  @Test
  public void wrongPassword_failsNamingAuthentication_andNotThePassword() {
    String message = failure(uri(RedisServer.WRITER, "not-the-password", "localhost", "rollup:x:"));
    assertThat(message, containsString("authentication to Redis rediss://" + RedisServer.WRITER));
    assertThat(message, containsString("WRONGPASS"));
    assertThat(message, not(containsString("not-the-password")));
  }

  @Test
  public void untrustedAuthority_failsNamingTlsTrust() throws Exception {
    TestCertificates other = TestCertificates.create(folder.newFolder("other-ca").toPath());
    String uri =
        "rediss://"
            + RedisServer.WRITER
            + ":"
            + password()
            + "@localhost:"
            + redis.port()
            + "?prefix=rollup:y:&cacert="
            + other.caCertificate();
    String message = failure(uri);
    assertThat(message, containsString("TLS trust: the certificate of Redis rediss://"));
    assertThat(message, containsString("cacert="));
    assertThat(message, not(containsString(password())));
  }

  @Test
  public void hostTheCertificateDoesNotName_failsNamingTheHost() throws Exception {
    // The certificate names localhost and 127.0.0.1; this loopback address is neither.
    String message =
        failure(uri(RedisServer.WRITER, password(), RedisServer.UNNAMED_HOST, "rollup:z:"));
    assertThat(message, containsString("does not name host '" + RedisServer.UNNAMED_HOST + "'"));
  }

  @Test
  public void userWithoutWriteAccess_failsNamingAuthorizationAndThePrefix() {
    String uri =
        uri(
            RedisServer.READER,
            redis.password(RedisServer.READER),
            "localhost",
            "rollup:readonly:");
    String message = failure(uri);
    assertThat(message, containsString("authorization"));
    assertThat(message, containsString("prefix 'rollup:readonly:'"));
  }

  private String failure(String uri) {
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline.apply(Create.of(row("k"))).apply(Sinks.write(uri));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> {
              PipelineResult result = pipeline.run();
              result.waitUntilFinish();
            });
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private String uri(String user, String password, String host, String prefix) {
    return "rediss://"
        + user
        + ":"
        + password
        + "@"
        + host
        + ":"
        + redis.port()
        + "?prefix="
        + prefix
        + "&cacert="
        + redis.certificates().caCertificate();
  }

  private String password() {
    return redis.password(RedisServer.WRITER);
  }

  private Jedis client(String user) {
    RedisConnection connection =
        new RedisConnection(
            "localhost",
            redis.port(),
            user,
            redis.password(user),
            true,
            redis.certificates().caCertificate().toString(),
            10_000);
    return connection.connect();
  }

  private static String row(String key) {
    return "{\"key\":\""
        + key
        + "\",\"window_start\":\"2026-01-01T10:00:00.000Z\",\"window_end\":"
        + "\"2026-01-01T10:01:00.000Z\",\"count\":1,\"sum\":1.0,\"min\":1.0,\"max\":1.0,"
        + "\"mean\":1.0,\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}";
  }
}
