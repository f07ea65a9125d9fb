package dev.streamfirst.io.postgres;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.StatsRowCoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Upserts result rows (the JSON of {@link StatsRow}) into a PostgreSQL table, one row per key and
 * window, so a dashboard or service reads the current result with plain SQL.
 *
 * <p>Rows are keyed by ({@code key}, {@code window_start}, {@code window_end}). A window's early,
 * on-time and late panes all land on the same row, and a pane only replaces the stored one when its
 * {@code pane_index} is higher: panes may be written out of order by parallel workers, and a
 * replayed old pane never overwrites a newer result. The table is created if it does not exist:
 *
 * <pre>
 * key text, window_start timestamptz, window_end timestamptz, count bigint,
 * sum, min, max, mean double precision, pane text, pane_index bigint, final boolean,
 * updated_at timestamptz, PRIMARY KEY (key, window_start, window_end)
 * </pre>
 *
 * <p>An existing table needs at least these columns and a unique constraint on the three key
 * columns. Writes go through Beam's {@code JdbcIO} with a connection pool shared by all workers in
 * a JVM; deadlocks and serialization failures between concurrent batches are retried.
 *
 * <pre>{@code
 * rows.apply("StoreRows",
 *     PostgresSink.to("jdbc:postgresql://db:5432/metrics?user=writer").withTable("rollup"));
 * // or, from a URI option:
 * rows.apply("StoreRows",
 *     Sinks.write("jdbc:postgresql://db:5432/metrics?table=rollup&user=writer"));
 * }</pre>
 */
@AutoValue
public abstract class PostgresSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to ({@code jdbc:postgresql://...}). */
  public static final String SCHEME = "jdbc";

  /** A valid URI, for error messages. */
  public static final String EXAMPLE =
      "jdbc:postgresql://localhost:5432/mydb?table=rollup&user=me&password=secret";

  /** The table written unless {@code table=} says otherwise. */
  public static final String DEFAULT_TABLE = "rollup";

  static final String DRIVER = "org.postgresql.Driver";
  private static final String SUBPROTOCOL = "postgresql";

  // Unquoted identifiers only, optionally schema-qualified; PostgreSQL folds them to lower case.
  // Being this strict is also what keeps the name safe to put into SQL text.
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private static final Set<String> OWN_PARAMETERS = Set.of("table", "user", "password");

  /** The driver URL without {@code table}, {@code user} and {@code password}. */
  public abstract String url();

  public abstract @Nullable String user();

  abstract @Nullable String password();

  public abstract String table();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setUrl(String url);

    abstract Builder setUser(@Nullable String user);

    abstract Builder setPassword(@Nullable String password);

    abstract Builder setTable(String table);

    abstract PostgresSink build();
  }

  /**
   * Writes to the database of a {@code jdbc:postgresql://host[:port]/db[?params]} URL: {@code
   * table}, {@code user} and {@code password} are read from it, every other parameter (such as
   * {@code sslmode=require}) goes to the driver unchanged.
   */
  public static PostgresSink to(String jdbcUrl) {
    IoUri uri;
    try {
      uri = IoUri.parse(jdbcUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; e.g. " + EXAMPLE, e);
    }
    return fromUri(uri);
  }

  /** Same as {@link #to(String)}, for an already parsed URI. */
  public static PostgresSink fromUri(IoUri uri) {
    IoUri postgres;
    try {
      postgres = SCHEME.equals(uri.scheme()) ? IoUri.parse(uri.body()) : null;
    } catch (IllegalArgumentException e) {
      postgres = null;
    }
    if (postgres == null || !SUBPROTOCOL.equals(postgres.scheme())) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri.toString())
              + "' is not a PostgreSQL JDBC URL (the only database supported so far); e.g. "
              + EXAMPLE);
    }
    if (!postgres.hasAuthority() || postgres.authority().isEmpty()) {
      throw new IllegalArgumentException(
          "'" + redact(uri.toString()) + "' names no host; e.g. " + EXAMPLE);
    }
    if (postgres.authority().contains("@")) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri.toString())
              + "' has user information before the host, which the driver does not read; give"
              + " them as parameters instead, e.g. "
              + EXAMPLE);
    }
    String database = postgres.path().startsWith("/") ? postgres.path().substring(1) : "";
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          "'"
              + redact(uri.toString())
              + "' needs a database name after the host (jdbc:postgresql://host:port/db); e.g. "
              + EXAMPLE);
    }
    Map<String, String> parameters = postgres.queryParameters();
    // Driver parameters are passed on exactly as written: the driver decodes them itself.
    List<String> driverParameters = new ArrayList<>();
    for (String pair : postgres.query().split("&", -1)) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (!pair.isEmpty() && !OWN_PARAMETERS.contains(name)) {
        driverParameters.add(pair);
      }
    }
    String url =
        "jdbc:postgresql://"
            + postgres.authority()
            + postgres.path()
            + (driverParameters.isEmpty() ? "" : "?" + String.join("&", driverParameters));
    PostgresSink sink =
        new AutoValue_PostgresSink.Builder()
            .setUrl(url)
            .setUser(parameters.get("user"))
            .setPassword(parameters.get("password"))
            .setTable(DEFAULT_TABLE)
            .build();
    return parameters.containsKey("table") ? sink.withTable(parameters.get("table")) : sink;
  }

  /** The table to upsert into, e.g. {@code rollup} or {@code metrics.rollup}. */
  public PostgresSink withTable(String table) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table name "
              + (table == null ? "null" : "'" + table + "'")
              + " is not a plain identifier: letters, digits and _, not starting with a digit,"
              + " optionally schema-qualified (e.g. rollup or metrics.rollup)");
    }
    return toBuilder().setTable(table).build();
  }

  /** Connects as {@code user}. */
  public PostgresSink withUser(String user) {
    return toBuilder().setUser(user).build();
  }

  /** Connects with {@code password}; it never appears in display data or {@link #toString()}. */
  public PostgresSink withPassword(String password) {
    return toBuilder().setPassword(password).build();
  }

  @Override
  public PDone expand(PCollection<String> rows) {
    SerializableFunction<Void, DataSource> dataSource =
        new WorkerDataSource(DRIVER, url(), user(), password());
    return rows.apply(
            "ParseRows", ParDo.of(new ParseRowsAndEnsureTableFn(dataSource, url(), table())))
        .setCoder(StatsRowCoder.of())
        .apply(
            "UpsertRows",
            JdbcIO.<StatsRow>write()
                .withDataSourceProviderFn(dataSource)
                .withStatement(upsertSql(table()))
                .withPreparedStatementSetter(new RowSetter())
                .withRetryStrategy(new RetryOnConflict()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("url", url()).withLabel("PostgreSQL URL"))
        .addIfNotNull(DisplayData.item("user", user()).withLabel("User"))
        .add(DisplayData.item("table", table()).withLabel("Table (upsert by key and window)"));
  }

  @Override
  public String toString() {
    return "PostgresSink{url=" + url() + ", user=" + user() + ", table=" + table() + "}";
  }

  static String createTableSql(String table) {
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " (key text NOT NULL, window_start timestamptz NOT NULL,"
        + " window_end timestamptz NOT NULL, count bigint NOT NULL, sum double precision NOT NULL,"
        + " min double precision NOT NULL, max double precision NOT NULL,"
        + " mean double precision NOT NULL, pane text NOT NULL, pane_index bigint NOT NULL,"
        + " final boolean NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
        + " PRIMARY KEY (key, window_start, window_end))";
  }

  static String upsertSql(String table) {
    return "INSERT INTO "
        + table
        + " AS t (key, window_start, window_end, count, sum, min, max, mean, pane, pane_index,"
        + " final, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
        + " ON CONFLICT (key, window_start, window_end) DO UPDATE SET count = EXCLUDED.count,"
        + " sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max, mean = EXCLUDED.mean,"
        + " pane = EXCLUDED.pane, pane_index = EXCLUDED.pane_index, final = EXCLUDED.final,"
        + " updated_at = EXCLUDED.updated_at"
        // Only a newer pane wins: the same pane again, or an older one replayed, changes nothing.
        + " WHERE t.pane_index < EXCLUDED.pane_index";
  }

  private static String redact(String text) {
    return text.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /**
   * Parses each JSON row; before the first one, makes sure the table exists. Creating it here, in
   * the same step that feeds the writes, means no write can reach the database before it.
   */
  private static final class ParseRowsAndEnsureTableFn extends DoFn<String, StatsRow> {
    // One CREATE per table and JVM, however many DoFn instances the runner makes.
    private static final Set<String> CREATE_RACE_STATES = Set.of("23505", "42P07", "42710");
    private static final Set<String> ENSURED = ConcurrentHashMap.newKeySet();

    private final SerializableFunction<Void, DataSource> dataSource;
    private final String url;
    private final String table;

    ParseRowsAndEnsureTableFn(
        SerializableFunction<Void, DataSource> dataSource, String url, String table) {
      this.dataSource = dataSource;
      this.url = url;
      this.table = table;
    }

    @Setup
    public void setup() throws SQLException {
      String id = url + "|" + table;
      if (ENSURED.contains(id)) {
        return;
      }
      try (Connection connection = dataSource.apply(null).getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(createTableSql(table));
        // JdbcIO's pooled connections do not auto-commit; DDL is transactional in PostgreSQL.
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
      } catch (SQLException e) {
        // Two workers creating the table at once: one of them loses the race on the catalog
        // (unique_violation, duplicate_table, or duplicate_object for the table's row type)
        // although the table now exists, which is fine.
        if (e.getSQLState() == null || !CREATE_RACE_STATES.contains(e.getSQLState())) {
          throw new SQLException(
              "cannot create table " + table + " in " + url + ": " + ConnectionFailure.explain(e),
              e);
        }
      }
      ENSURED.add(id);
    }

    @ProcessElement
    public void process(@Element String json, OutputReceiver<StatsRow> out) {
      out.output(StatsRow.fromJson(json));
    }
  }

  private static final class RowSetter implements JdbcIO.PreparedStatementSetter<StatsRow> {
    @Override
    public void setParameters(StatsRow row, PreparedStatement statement) throws SQLException {
      statement.setString(1, row.key());
      statement.setObject(2, start(row.windowStart()));
      statement.setObject(3, end(row.windowEnd()));
      statement.setLong(4, row.stats().count());
      statement.setDouble(5, row.stats().sum());
      statement.setDouble(6, row.stats().min());
      statement.setDouble(7, row.stats().max());
      statement.setDouble(8, row.stats().mean());
      statement.setString(9, row.paneTiming().name());
      statement.setLong(10, row.paneIndex());
      statement.setBoolean(11, row.isFinal());
    }

    /**
     * The global window's open ends are stored as PostgreSQL's {@code -infinity} and {@code
     * infinity} (the driver writes {@code OffsetDateTime.MIN} and {@code MAX} so): Beam's own
     * bounds, years -290308 and 294247, are outside what a {@code timestamptz} holds.
     */
    private static OffsetDateTime start(Instant start) {
      return start.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE) ? utc(start) : OffsetDateTime.MIN;
    }

    private static OffsetDateTime end(Instant end) {
      return end.isAfter(GlobalWindow.INSTANCE.maxTimestamp()) ? OffsetDateTime.MAX : utc(end);
    }

    private static OffsetDateTime utc(Instant instant) {
      return OffsetDateTime.ofInstant(
          java.time.Instant.ofEpochMilli(instant.getMillis()), ZoneOffset.UTC);
    }
  }

  /**
   * Retries a batch that lost a deadlock (40P01) or a serialization conflict (40001): parallel
   * workers upserting rows of the same keys in different orders can deadlock, and the retry
   * succeeds.
   */
  private static final class RetryOnConflict implements JdbcIO.RetryStrategy {
    @Override
    public boolean apply(SQLException e) {
      return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }
  }
}
