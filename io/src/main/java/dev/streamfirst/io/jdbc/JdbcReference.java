package dev.streamfirst.io.jdbc;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A reference source in a SQL database, from a URI such as {@code
 * jdbc:postgresql://db:5432/bank?user=app&password=secret&table=accounts&key=account_id}.
 *
 * <p>The parameters {@code table} (the table, optionally with its schema), {@code key} (the column
 * holding the key), {@code query} (a {@code SELECT} that reads the whole table instead, for a side
 * input) and {@code poolSize} (connections per worker for lookups, default 4) are Streamfirst's;
 * every other parameter is the driver's ({@code user}, {@code password}, {@code ssl}, ...).
 */
@AutoValue
abstract class JdbcReference implements Serializable {
  static final String EXAMPLE =
      "jdbc:postgresql://host:5432/db?user=app&password=secret&table=accounts&key=account_id";
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final int DEFAULT_POOL_SIZE = 4;

  /** The URL handed to the driver: the given one without Streamfirst's parameters. */
  abstract String driverUrl();

  abstract @Nullable String table();

  abstract String keyColumn();

  abstract @Nullable String query();

  abstract int poolSize();

  /** The URL without its parameters, for display: no password in logs or UIs. */
  abstract String displayName();

  static JdbcReference parse(String uri) {
    int q = uri.indexOf('?');
    String base = q < 0 ? uri : uri.substring(0, q);
    String table = null;
    String key = null;
    String query = null;
    int poolSize = DEFAULT_POOL_SIZE;
    List<String> driverParameters = new ArrayList<>();
    Map<String, String> ours = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value =
            eq < 0
                ? ""
                : java.net.URLDecoder.decode(
                    pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        switch (name) {
          case "table", "key", "query", "poolSize" -> ours.put(name, value);
          default -> driverParameters.add(pair);
        }
      }
    }
    table = ours.get("table");
    key = ours.get("key");
    query = ours.get("query");
    if (key == null || !IDENTIFIER.matcher(key).matches() || key.contains(".")) {
      throw new IllegalArgumentException(
          "a JDBC reference needs key=<column holding the key>, got "
              + (key == null ? "none" : "'" + key + "'")
              + " in '"
              + base
              + "'; e.g. "
              + EXAMPLE);
    }
    if (table == null && query == null) {
      throw new IllegalArgumentException(
          "a JDBC reference needs table=<table> (or query=<SELECT ...> for a side input) in '"
              + base
              + "'; e.g. "
              + EXAMPLE);
    }
    if (table != null && !IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table='"
              + table
              + "' is not a table name (letters, digits, _, optionally schema.table)");
    }
    if (query != null && !query.trim().toLowerCase(java.util.Locale.ROOT).startsWith("select")) {
      throw new IllegalArgumentException("query= must be a SELECT, got '" + query + "'");
    }
    if (ours.containsKey("poolSize")) {
      try {
        poolSize = Integer.parseInt(ours.get("poolSize"));
      } catch (NumberFormatException e) {
        poolSize = 0;
      }
      if (poolSize < 1) {
        throw new IllegalArgumentException(
            "poolSize must be a whole number of at least 1, got '" + ours.get("poolSize") + "'");
      }
    }
    String driverUrl =
        driverParameters.isEmpty() ? base : base + "?" + String.join("&", driverParameters);
    return new AutoValue_JdbcReference(driverUrl, table, key, query, poolSize, base);
  }

  /** The statement that reads every record. */
  String selectAll() {
    return query() != null ? query() : "SELECT * FROM " + table();
  }

  /** The statement that reads the records of {@code count} keys. */
  String selectKeys(int count) {
    if (table() == null) {
      throw new IllegalStateException(
          "lookups need table=<table> in the reference URI; query= only serves a side input");
    }
    StringBuilder sql =
        new StringBuilder("SELECT * FROM ")
            .append(table())
            .append(" WHERE ")
            .append(keyColumn())
            .append(" IN (");
    for (int i = 0; i < count; i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    return sql.append(')').toString();
  }
}
