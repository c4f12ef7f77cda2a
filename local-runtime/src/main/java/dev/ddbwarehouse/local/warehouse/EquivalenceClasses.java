package dev.ddbwarehouse.local.warehouse;

import dev.ddbwarehouse.core.table.TableSpec;
import dev.ddbwarehouse.core.table.TargetTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The equivalence classes of a table's quasi-identifiers over its live rows as analysts see them:
 * how many there are and how many rows sit in classes smaller than k. Counts only: the database
 * groups and counts, and no value of a class ever leaves it, so the report cannot itself become the
 * list of people who stand out.
 *
 * @param relation what was measured: the bi view of the table if it has one, else the table
 * @param classes distinct combinations of the quasi-identifier values (NULL is a value)
 * @param rows live rows
 * @param rowsBelowK rows in classes of fewer than k rows
 * @param smallestClass rows of the smallest class; 0 for a table without live rows
 */
public record EquivalenceClasses(
    String relation, long classes, long rows, long rowsBelowK, long smallestClass) {

  /** Where a table's bi view lives: the schema bi, under the table's own name. */
  private static final String BI_SCHEMA = "bi";

  /**
   * How many of the given columns a relation has; from pg_catalog, not to_regclass, which raises an
   * error for a login without USAGE on the schema instead of answering.
   */
  private static final String VIEW_COLUMNS =
      """
      SELECT count(*) FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname = ANY (?)
      """;

  public boolean belowK() {
    return rowsBelowK > 0;
  }

  /**
   * Measures {@code table}'s declared quasi-identifiers. Over its bi view when one of the same name
   * carries every quasi-identifier (deleted rows and erased subjects are gone there), else over the
   * warehouse table's rows with deleted_at IS NULL.
   */
  public static EquivalenceClasses measure(Connection c, TableSpec table, int k)
      throws SQLException {
    List<String> columns = table.quasiIdentifiers();
    if (columns.isEmpty()) throw new IllegalArgumentException("no quasi-identifiers declared");
    TargetTable target = table.target();
    boolean view = hasColumns(c, target.name(), columns);
    String relation = view ? BI_SCHEMA + "." + target.name() : target.toString();
    String from =
        view
            ? quote(BI_SCHEMA) + "." + quote(target.name())
            : quote(target.schema()) + "." + quote(target.name()) + " WHERE deleted_at IS NULL";
    // GROUP BY puts NULLs in one group: a missing value is a value an outsider can match too.
    String sql =
        "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE n < ?), 0),"
            + " coalesce(min(n), 0) FROM (SELECT count(*) AS n FROM "
            + from
            + " GROUP BY "
            + columns.stream().map(EquivalenceClasses::quote).collect(Collectors.joining(", "))
            + ") classes";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setInt(1, k);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new EquivalenceClasses(
            relation, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  private static boolean hasColumns(Connection c, String name, List<String> columns)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(VIEW_COLUMNS)) {
      s.setString(1, BI_SCHEMA);
      s.setString(2, name);
      s.setArray(3, c.createArrayOf("text", columns.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) == columns.size();
      }
    }
  }

  /** Names are validated by the mapping document already; quoting keeps that an invariant here. */
  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
