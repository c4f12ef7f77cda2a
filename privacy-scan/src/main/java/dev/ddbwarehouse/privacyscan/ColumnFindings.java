package dev.ddbwarehouse.privacyscan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one column holds that it should not: per kind, how many of its values have that kind of
 * finding. Names and counts only, never a value.
 *
 * @param values how many of the column's values have any finding
 */
public record ColumnFindings(
    String schema, String table, String column, long values, Map<Kind, Long> counts) {

  public ColumnFindings {
    counts = Collections.unmodifiableMap(new EnumMap<>(counts));
  }

  /** {@code schema.table.column}. */
  public String qualifiedName() {
    return schema + "." + table + "." + column;
  }

  /** The findings of every kind added up (a value with an e-mail and a phone counts twice). */
  public long findings() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
