package dev.streamfirst.io.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** Writes a JDBC row as a JSON object of its columns, typed: numbers, booleans, text, instants. */
final class RowsAsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RowsAsJson() {}

  static String toJson(ResultSet row) throws SQLException {
    ResultSetMetaData meta = row.getMetaData();
    ObjectNode node = JSON.createObjectNode();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i);
      Object value = row.getObject(i);
      if (value == null) {
        node.putNull(name);
        continue;
      }
      switch (meta.getColumnType(i)) {
        case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.TINYINT ->
            node.put(name, row.getLong(i));
        case Types.REAL, Types.FLOAT, Types.DOUBLE -> node.put(name, row.getDouble(i));
        case Types.NUMERIC, Types.DECIMAL -> node.put(name, (BigDecimal) row.getBigDecimal(i));
        case Types.BOOLEAN, Types.BIT -> node.put(name, row.getBoolean(i));
        case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
          Timestamp ts = row.getTimestamp(i);
          node.put(name, ts.toInstant().toString());
        }
        default -> node.put(name, row.getString(i));
      }
    }
    return node.toString();
  }
}
