package dev.streamfirst.io.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.streamfirst.io.SecretReferences;
import dev.streamfirst.transforms.enrich.LookupHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks keys up in a SQL table, one statement per batch: {@code SELECT * FROM accounts WHERE
 * account_id IN (?, ?, ...)}. Each row becomes a JSON object of its columns.
 *
 * <p>Connections come from a HikariCP pool of {@code poolSize} connections shared by every instance
 * of the handler on a worker, so the database sees a bounded number of connections however many
 * threads a runner uses. SQL errors that the driver calls transient or recoverable (a dropped
 * connection, a failover) are retried by {@code Enrich}; others are not.
 *
 * <pre>{@code
 * LookupHandler accounts = JdbcLookupHandler.fromUri(
 *     "jdbc:postgresql://db:5432/bank?user=app&password=secret&table=accounts&key=account_id");
 * events.apply("Enrich", Enrich.fromLookup(accounts).withBatchSize(200));
 * }</pre>
 */
public final class JdbcLookupHandler implements LookupHandler {
  /** A valid URI, for error messages. */
  public static final String EXAMPLE = JdbcReference.EXAMPLE;

  private static final Map<String, Shared> POOLS = new ConcurrentHashMap<>();

  private final JdbcReference reference;
  private transient Shared pool;

  private JdbcLookupHandler(JdbcReference reference) {
    this.reference = reference;
  }

  /** The handler of a {@code jdbc:...?table=...&key=...} URI. */
  public static JdbcLookupHandler fromUri(String uri) {
    JdbcReference reference = JdbcReference.parse(uri);
    if (reference.table() == null) {
      throw new IllegalArgumentException(
          "lookups need table=<table> in '"
              + reference.displayName()
              + "' (query= only serves a side input); e.g. "
              + JdbcReference.EXAMPLE);
    }
    return new JdbcLookupHandler(reference);
  }

  @Override
  public void setup() {
    String id = reference.driverUrl() + "#" + reference.poolSize();
    pool =
        POOLS.compute(
            id,
            (key, existing) -> {
              Shared shared = existing == null ? new Shared(reference) : existing;
              shared.users++;
              return shared;
            });
  }

  @Override
  public Map<String, String> lookup(List<String> keys) throws SQLException {
    return lookup(keys, 0);
  }

  /**
   * Bounds the query by the call's timeout on the server's side too: the driver ignores the
   * interrupt of an abandoned call, so without it a slow query would keep its connection (and
   * thread) until it ends, and a slow database would use up the pool.
   */
  @Override
  public Map<String, String> lookup(List<String> keys, org.joda.time.Duration timeout)
      throws SQLException {
    return lookup(keys, (int) Math.max(1, (timeout.getMillis() + 999) / 1000));
  }

  private Map<String, String> lookup(List<String> keys, int timeoutSeconds) throws SQLException {
    Map<String, String> found = new HashMap<>();
    try (Connection connection = pool.dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(reference.selectKeys(keys.size()))) {
      statement.setQueryTimeout(timeoutSeconds);
      for (int i = 0; i < keys.size(); i++) {
        statement.setString(i + 1, keys.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(reference.keyColumn()), RowsAsJson.toJson(rows));
        }
      }
    }
    return found;
  }

  @Override
  public boolean isTransient(Exception failure) {
    if (LookupHandler.super.isTransient(failure)) {
      return true;
    }
    // SQLSTATE class 08 is a connection failure; 40001/40P01 are serialization and deadlock
    // failures; 57014 a query cancelled at its timeout; 57P01-57P03 an administrator shutdown or a
    // server starting: all worth a retry.
    if (failure instanceof SQLException) {
      String state = ((SQLException) failure).getSQLState();
      return state != null
          && (state.startsWith("08")
              || state.equals("40001")
              || state.equals("40P01")
              || state.equals("57014")
              || state.startsWith("57P"));
    }
    return false;
  }

  @Override
  public void teardown() {
    String id = reference.driverUrl() + "#" + reference.poolSize();
    POOLS.computeIfPresent(
        id,
        (key, shared) -> {
          if (--shared.users > 0) {
            return shared;
          }
          shared.dataSource.close();
          return null;
        });
  }

  @Override
  public String toString() {
    return "JDBC lookup in " + reference.table() + " at " + reference.displayName();
  }

  /** A worker's pool for one database and its users among the handler instances. */
  private static final class Shared {
    final HikariDataSource dataSource;
    int users;

    Shared(JdbcReference reference) {
      HikariConfig config = new HikariConfig();
      // Resolved here, on the worker; the pool id above keeps only the reference.
      config.setJdbcUrl(SecretReferences.resolveInUrl(reference.driverUrl()));
      config.setMaximumPoolSize(reference.poolSize());
      config.setMinimumIdle(0);
      config.setConnectionTimeout(10_000);
      config.setPoolName("streamfirst-enrich");
      config.setReadOnly(true);
      // No connection at start: a database that is down makes lookups fail (and be retried, then
      // dead-lettered), rather than failing the worker's setup.
      config.setInitializationFailTimeout(-1);
      this.dataSource = new HikariDataSource(config);
    }
  }
}
