package dev.streamfirst.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.testing.servers.postgres.PostgresServer;
import dev.streamfirst.testing.servers.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The PostgreSQL sink against a real server that refuses connections without TLS: with {@code
 * sslmode=verify-full} against the test authority and the user's password it writes; without TLS,
 * with an authority the client does not trust, or with a wrong password it fails with the cause
 * named, never showing the password.
 */
public class SecuredPostgresSinkIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final PostgresServer postgres = PostgresServer.sharedSecured();

  @Test
  public void verifyFullWithThePasswordFromAFile_writesRows() throws Exception {
    String db = postgres.createDatabase("tls_rows");
    Path secret = folder.newFile("pg-password").toPath();
    Files.writeString(secret, postgres.tlsUserPassword() + "\n");

    p.apply(Create.of(row("a", 3), row("b", 5)))
        .apply(
            Sinks.write(
                postgres.tlsJdbcUrl(db) + "&password=${file:" + secret + "}&table=tls_rows"));
    p.run().waitUntilFinish();

    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT key, count FROM tls_rows ORDER BY key")) {
      rows.next();
      assertEquals("a", rows.getString(1));
      assertEquals(3, rows.getLong(2));
      rows.next();
      assertEquals("b", rows.getString(1));
      assertEquals(5, rows.getLong(2));
    }
  }

  @Test
  public void withoutTls_isRefusedByTheServer_namingEncryption() {
    String db = postgres.createDatabase("tls_plain");
    String url =
        "jdbc:postgresql://localhost:"
            + postgres.port()
            + "/"
            + db
            + "?user="
            + PostgresServer.TLS_USER
            + "&password="
            + postgres.tlsUserPassword()
            + "&sslmode=disable&table=t";
    String message = failure(url);
    assertThat(message, containsString("no encryption"));
    assertThat(message, not(containsString(postgres.tlsUserPassword())));
  }

  @Test
  public void untrustedAuthority_failsNamingTlsTrust() throws Exception {
    String db = postgres.createDatabase("tls_untrusted");
    TestCertificates other = TestCertificates.create(folder.newFolder("other-ca").toPath());
    String url =
        postgres.tlsJdbcUrl(db).replace(postgres.certificates().caCertificate().toString(), "")
            + other.caCertificate()
            + "&password="
            + postgres.tlsUserPassword()
            + "&table=t";
    String message = failure(url);
    assertThat(message, containsString("TLS trust"));
    assertThat(message, containsString("sslrootcert"));
    assertThat(message, not(containsString(postgres.tlsUserPassword())));
  }

  @Test
  public void wrongPassword_failsNamingAuthentication() {
    String db = postgres.createDatabase("tls_wrong");
    String message = failure(postgres.tlsJdbcUrl(db) + "&password=not-it&table=t");
    assertThat(message, containsString("authentication"));
    assertThat(message, containsString("\"" + PostgresServer.TLS_USER + "\""));
    assertThat(message, not(containsString("not-it")));
  }

  private String failure(String url) {
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline.apply(Create.of(row("k", 1))).apply(Sinks.write(url));
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> pipeline.run().waitUntilFinish());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static String row(String key, long count) {
    return "{\"key\":\""
        + key
        + "\",\"window_start\":\"2026-01-01T10:00:00.000Z\",\"window_end\":"
        + "\"2026-01-01T10:01:00.000Z\",\"count\":"
        + count
        + ",\"sum\":1.0,\"min\":1.0,\"max\":1.0,"
        + "\"mean\":1.0,\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}";
  }
}
