package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.backfill.BackfillException.Refused;
import dev.ddbwarehouse.backfill.verify.WarehouseComparison.Row;
import dev.ddbwarehouse.core.table.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lookups of one page of keys in the entry's target table and in etl.quarantine. Keys travel as
 * text arrays (one per key column) and are cast to each column's SQL type, read once from the
 * catalogue, so that a number, date or timestamp key matches as the sink wrote it.
 */
final class TargetRows {

  private static final String COLUMN_TYPES =
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
          + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped";

  private final String rowsSql;
  private final String quarantineSql;
  private final String quarantineAnyTableSql;
  private final List<String> columns;

  private TargetRows(String rowsSql, String quarantineSql, String anyTableSql, List<String> cols) {
    this.rowsSql = rowsSql;
    this.quarantineSql = quarantineSql;
    this.quarantineAnyTableSql = anyTableSql;
    this.columns = cols;
  }

  static TargetRows of(Connection c, TableSpec table) throws SQLException {
    String target = quoted(table.target().schema()) + "." + quoted(table.target().name());
    Map<String, String> types = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(COLUMN_TYPES)) {
      s.setString(1, target);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) types.put(rs.getString(1), rs.getString(2));
      }
    }
    List<String> columns = table.keyColumns();
    List<String> arrays = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> joins = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String type = types.get(columns.get(i));
      if (type == null) {
        throw new Refused(
            "the warehouse has no table "
                + table.target()
                + " with key column "
                + columns.get(i)
                + " (mapping entry "
                + table.name()
                + "); check the mapping document and that the migrations ran");
      }
      arrays.add("?::text[]");
      names.add("k" + i);
      joins.add("t." + quoted(columns.get(i)) + " = k.k" + i + "::" + type);
    }
    String rows =
        "SELECT k.i, t.source_version, t.deleted_at IS NOT NULL FROM unnest("
            + String.join(", ", arrays)
            + ") WITH ORDINALITY AS k("
            + String.join(", ", names)
            + ", i) JOIN "
            + target
            + " t ON "
            + String.join(" AND ", joins);
    String quarantine =
        "SELECT k.i FROM unnest(?::jsonb[]) WITH ORDINALITY AS k(key, i) WHERE EXISTS"
            + " (SELECT 1 FROM etl.quarantine q WHERE q.source_key = k.key";
    return new TargetRows(
        rows, quarantine + " AND q.source_table = ANY(?::text[]))", quarantine + ")", columns);
  }

  /** By position in {@code keys}: the rows the target table holds. */
  Map<Integer, Row> rows(Connection c, List<StoredKey> keys) throws SQLException {
    Map<Integer, Row> rows = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(rowsSql)) {
      for (int col = 0; col < columns.size(); col++) {
        int part = col;
        s.setArray(
            col + 1,
            c.createArrayOf("text", keys.stream().map(k -> k.parts().get(part)).toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.put(
              (int) rs.getLong(1) - 1,
              new Row(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getBoolean(3)));
        }
      }
    }
    return rows;
  }

  /**
   * By position in {@code keys}: whether etl.quarantine holds a record of that key from one of
   * {@code sourceTables} (any table when empty).
   */
  boolean[] quarantined(Connection c, List<StoredKey> keys, List<String> sourceTables)
      throws SQLException {
    boolean[] found = new boolean[keys.size()];
    try (PreparedStatement s =
        c.prepareStatement(sourceTables.isEmpty() ? quarantineAnyTableSql : quarantineSql)) {
      s.setArray(1, c.createArrayOf("jsonb", keys.stream().map(k -> k.json(columns)).toArray()));
      if (!sourceTables.isEmpty()) {
        s.setArray(2, c.createArrayOf("text", sourceTables.toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) found[(int) rs.getLong(1) - 1] = true;
      }
    }
    return found;
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
