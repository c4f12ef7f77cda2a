package dev.ddbwarehouse.local.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An independent check that no identifying value reached the database: every value the workload
 * wrote (and its obvious normalised forms) is searched for, case-insensitively and as a substring,
 * in every non-numeric column of every table and view of every user schema. Temporal columns are
 * searched too, as text in UTC, because an exact birth date or signup time is identifying: a date
 * column holding the birth date is as much a leak as a text column holding the name. It knows
 * nothing of the pipeline's policy, so a new column or table is covered without changes here.
 *
 * <p>Search: each needle is indexed by the k characters at its middle; every k-character window of
 * a stored value is looked up and candidates are confirmed in place. That keeps a scan of 10,000
 * rows against 70,000 needles well under a second.
 */
public final class LeakScanner {

  /** A column holding identifying values; only counts and names, never the values. */
  public record Leak(String schema, String table, String column, long values) {}

  public record Result(
      int tablesScanned, int columnsScanned, long valuesScanned, List<Leak> leaks) {
    public long leakedValues() {
      return leaks.stream().mapToLong(Leak::values).sum();
    }
  }

  private record Needle(String text, int gramOffset) {}

  private static final String SEARCHED_COLUMNS =
      """
      SELECT n.nspname, c.relname, a.attname
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      WHERE c.relkind IN ('r', 'p', 'm', 'v')
        AND a.attnum > 0 AND NOT a.attisdropped
        AND t.typcategory NOT IN ('N', 'B', 'T')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY 1, 2, 3
      """;

  private static final DateTimeFormatter SECONDS_SPACE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter SECONDS_ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd't'HH:mm:ss", Locale.ROOT);

  private final int gram;
  private final Map<String, List<Needle>> index = new HashMap<>();

  public LeakScanner(Collection<String> identifyingValues) {
    Set<String> needles = new HashSet<>();
    for (String value : identifyingValues) {
      needles.addAll(variants(value));
    }
    this.gram = Math.max(1, Math.min(8, needles.stream().mapToInt(String::length).min().orElse(8)));
    for (String needle : needles) {
      int offset = (needle.length() - gram) / 2;
      index
          .computeIfAbsent(needle.substring(offset, offset + gram), k -> new ArrayList<>())
          .add(new Needle(needle, offset));
    }
  }

  /** The value as written plus the forms a normaliser would produce, all lower case. */
  static Set<String> variants(String value) {
    Set<String> variants = new HashSet<>();
    String lower = value.strip().toLowerCase(Locale.ROOT);
    variants.add(lower);
    variants.add(lower.replace(" ", ""));
    if (lower.startsWith("+")) {
      // Phones: digits only, with and without the plus; long enough not to occur by chance in hex.
      String digits = lower.replaceAll("[^0-9]", "");
      variants.add(digits);
      variants.add("+" + digits);
    }
    instantToSeconds(lower)
        .ifPresent(
            utc -> {
              // How PostgreSQL prints a timestamptz in UTC ("2021-03-04 05:06:07.1+00") and the ISO
              // form, both to the second: fractions lose trailing zeros there, so they are left
              // out.
              variants.add(utc.format(SECONDS_SPACE));
              variants.add(utc.format(SECONDS_ISO));
            });
    variants.removeIf(v -> v.length() < 4);
    return variants;
  }

  /** An ISO-8601 timestamp with offset, in UTC to the second; empty for anything else. */
  private static Optional<LocalDateTime> instantToSeconds(String lower) {
    if (lower.length() < 20 || lower.indexOf('t') != 10) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.ofInstant(
              OffsetDateTime.parse(lower.toUpperCase(Locale.ROOT)).toInstant(), ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** True when the text contains any needle. */
  public boolean containsAny(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i + gram <= lower.length(); i++) {
      List<Needle> candidates = index.get(lower.substring(i, i + gram));
      if (candidates == null) {
        continue;
      }
      for (Needle needle : candidates) {
        int start = i - needle.gramOffset();
        if (start >= 0 && lower.startsWith(needle.text(), start)) {
          return true;
        }
      }
    }
    return false;
  }

  public Result scan(Connection connection) throws SQLException {
    List<String[]> columns = new ArrayList<>();
    try (Statement s = connection.createStatement()) {
      // Temporal columns print in the session's zone; the needles are in UTC.
      s.execute("SET TIME ZONE 'UTC'");
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(SEARCHED_COLUMNS)) {
      while (rs.next()) {
        columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
    }
    Set<String> tables = new HashSet<>();
    long scanned = 0;
    List<Leak> leaks = new ArrayList<>();
    for (String[] column : columns) {
      tables.add(column[0] + "." + column[1]);
      String sql =
          "SELECT %3$s::text FROM %1$s.%2$s WHERE %3$s IS NOT NULL"
              .formatted(quote(column[0]), quote(column[1]), quote(column[2]));
      long hits = 0;
      try (PreparedStatement ps = connection.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          scanned++;
          if (containsAny(rs.getString(1))) {
            hits++;
          }
        }
      }
      if (hits > 0) {
        leaks.add(new Leak(column[0], column[1], column[2], hits));
      }
    }
    return new Result(tables.size(), columns.size(), scanned, leaks);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
