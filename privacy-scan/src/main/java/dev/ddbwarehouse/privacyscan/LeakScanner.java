package dev.ddbwarehouse.privacyscan;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent check that nothing identifying reached the database: every text-like, array, JSON,
 * network and temporal column of every table and view of the chosen schemas is read as text and put
 * through a {@link TextScanner}. It knows nothing of the pipeline's policy, so a new column or
 * table is covered without changes here. Temporal columns are read in UTC, because an exact birth
 * date or signup time among the known values is identifying.
 *
 * <p>One read per table (every scanned column at once), streamed in a read-only transaction, so a
 * large table is read once, never held in memory.
 */
public final class LeakScanner {

  /** How a scan went: counts and the columns with findings, never a value. */
  public record Result(
      int tablesScanned,
      int columnsScanned,
      long valuesScanned,
      List<ColumnFindings> columns,
      int expectedPseudonymsFound) {

    public Result {
      columns = List.copyOf(columns);
    }

    /** Every finding of every column. */
    public long findings() {
      return columns.stream().mapToLong(ColumnFindings::findings).sum();
    }

    /** Values with any finding, over every column. */
    public long leakedValues() {
      return columns.stream().mapToLong(ColumnFindings::values).sum();
    }
  }

  private record Column(String name, ColumnKind kind) {}

  private record Relation(String schema, String name, long estimatedRows, List<Column> columns) {}

  private static final String SCANNED_COLUMNS =
      """
      SELECT n.nspname, c.relname, a.attname, t.typcategory, coalesce(e.typcategory, ''),
             greatest(c.reltuples, 0)::bigint
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f')
        AND a.attnum > 0 AND NOT a.attisdropped
        AND (t.typcategory IN ('S', 'A', 'D', 'I', 'E') OR t.typname IN ('json', 'jsonb', 'xml'))
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND (cardinality(?::text[]) = 0 OR n.nspname = ANY (?::text[]))
      ORDER BY n.nspname, c.relname, a.attnum
      """;

  private static final int FETCH_SIZE = 1_000;

  private final TextScanner scanner;
  private final List<String> schemas;
  private final Set<String> expectedPseudonyms;

  /**
   * @param schemas the schemas to scan; empty for every schema but PostgreSQL's own
   * @param expectedPseudonyms pseudonyms whose presence is counted (a sample that reached the
   *     warehouse); never findings
   */
  public LeakScanner(TextScanner scanner, List<String> schemas, Set<String> expectedPseudonyms) {
    this.scanner = scanner;
    this.schemas = List.copyOf(schemas);
    this.expectedPseudonyms = Set.copyOf(expectedPseudonyms);
  }

  /** Every user schema, no expected pseudonyms. */
  public LeakScanner(TextScanner scanner) {
    this(scanner, List.of(), Set.of());
  }

  /** The known values in every user schema, with the pattern detectors. */
  public static LeakScanner of(KnownValues known) {
    return new LeakScanner(new TextScanner(known));
  }

  /**
   * Scans in a read-only transaction of its own and leaves the connection's auto-commit as it was.
   *
   * @throws SQLException when a table cannot be read (e.g. permission denied: scan as a user that
   *     can read every table of the schemas)
   */
  public Result scan(Connection connection, ScanProgress progress) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      try (Statement s = connection.createStatement()) {
        s.execute("SET TRANSACTION READ ONLY");
        // Temporal columns print in the session's zone; the known values are in UTC.
        s.execute("SET LOCAL TIME ZONE 'UTC'");
      }
      List<Relation> relations = relations(connection);
      progress.started(
          relations.size(), relations.stream().mapToLong(Relation::estimatedRows).sum());
      List<ColumnFindings> findings = new ArrayList<>();
      Set<String> pseudonymsSeen = new HashSet<>();
      long values = 0;
      int columns = 0;
      for (Relation relation : relations) {
        columns += relation.columns().size();
        values += scan(connection, relation, progress, findings, pseudonymsSeen);
      }
      return new Result(relations.size(), columns, values, findings, pseudonymsSeen.size());
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
  }

  public Result scan(Connection connection) throws SQLException {
    return scan(connection, ScanProgress.NONE);
  }

  private List<Relation> relations(Connection connection) throws SQLException {
    Map<String, Relation> relations = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(SCANNED_COLUMNS)) {
      Array names = connection.createArrayOf("text", schemas.toArray());
      ps.setArray(1, names);
      ps.setArray(2, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String schema = rs.getString(1);
          String table = rs.getString(2);
          String column = rs.getString(3);
          long estimatedRows = rs.getLong(6);
          ColumnKind kind = kind(column, rs.getString(4), rs.getString(5));
          relations
              .computeIfAbsent(
                  schema + "." + table,
                  k -> new Relation(schema, table, estimatedRows, new ArrayList<>()))
              .columns()
              .add(new Column(column, kind));
        }
      }
    }
    return List.copyOf(relations.values());
  }

  /** By the type's category (of its elements, for an array) and, for networks, the name. */
  static ColumnKind kind(String column, String category, String elementCategory) {
    if (category.equals("I") || elementCategory.equals("I") || column.endsWith("_network")) {
      return ColumnKind.NETWORK;
    }
    if (category.equals("D") || elementCategory.equals("D")) return ColumnKind.TEMPORAL;
    return ColumnKind.TEXT;
  }

  /** Reads every scanned column of one relation at once; returns how many values it read. */
  private long scan(
      Connection connection,
      Relation relation,
      ScanProgress progress,
      List<ColumnFindings> findings,
      Set<String> pseudonymsSeen)
      throws SQLException {
    List<Column> columns = relation.columns();
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name())).append("::text");
    }
    sql.append(" FROM ")
        .append(quote(relation.schema()))
        .append('.')
        .append(quote(relation.name()));
    long[] hits = new long[columns.size()];
    List<Map<Kind, Long>> counts = new ArrayList<>();
    columns.forEach(c -> counts.add(new EnumMap<>(Kind.class)));
    long values = 0;
    long rows = 0;
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      ps.setFetchSize(FETCH_SIZE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (int i = 0; i < columns.size(); i++) {
            String text = rs.getString(i + 1);
            if (text == null) continue;
            values++;
            if (text.length() == 64 && expectedPseudonyms.contains(text)) pseudonymsSeen.add(text);
            Set<Kind> kinds = scanner.scan(text, columns.get(i).kind());
            if (kinds.isEmpty()) continue;
            hits[i]++;
            for (Kind kind : kinds) counts.get(i).merge(kind, 1L, Long::sum);
          }
          if (++rows % FETCH_SIZE == 0) progress.rows(FETCH_SIZE);
        }
      }
    }
    progress.rows(rows % FETCH_SIZE);
    for (int i = 0; i < columns.size(); i++) {
      if (hits[i] > 0) {
        findings.add(
            new ColumnFindings(
                relation.schema(), relation.name(), columns.get(i).name(), hits[i], counts.get(i)));
      }
    }
    return values;
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
