package dev.streamfirst.io.jdbc;

import dev.streamfirst.io.SecretReferences;
import dev.streamfirst.transforms.enrich.ReferenceTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a whole SQL table (or the result of a {@code SELECT}) as reference data: each row becomes a
 * JSON object of its columns, keyed by the key column.
 *
 * <pre>{@code
 * ReferenceTable accounts = JdbcReferenceTable.fromUri(
 *     "jdbc:postgresql://db:5432/bank?user=app&password=secret&table=accounts&key=account_id");
 * events.apply("Enrich", Enrich.fromTable(accounts).refreshedEvery(Duration.standardMinutes(5)));
 * }</pre>
 */
public final class JdbcReferenceTable implements ReferenceTable {
  private final JdbcReference reference;

  private JdbcReferenceTable(JdbcReference reference) {
    this.reference = reference;
  }

  /** The table of a {@code jdbc:...?table=...&key=...} URI. */
  public static JdbcReferenceTable fromUri(String uri) {
    return new JdbcReferenceTable(JdbcReference.parse(uri));
  }

  @Override
  public Map<String, String> readAll() throws Exception {
    Map<String, String> records = new HashMap<>();
    try (Connection connection =
            DriverManager.getConnection(SecretReferences.resolveInUrl(reference.driverUrl()));
        Statement statement = connection.createStatement()) {
      statement.setFetchSize(10_000);
      try (ResultSet rows = statement.executeQuery(reference.selectAll())) {
        while (rows.next()) {
          String key = rows.getString(reference.keyColumn());
          if (key != null) {
            records.put(key, RowsAsJson.toJson(rows));
          }
        }
      }
    }
    return records;
  }

  @Override
  public String toString() {
    return "JDBC table " + reference.selectAll() + " at " + reference.displayName();
  }
}
