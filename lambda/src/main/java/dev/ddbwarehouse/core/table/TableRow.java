package dev.ddbwarehouse.core.table;

import java.time.Instant;

/**
 * One warehouse row: typed, pseudonymised, nothing identifying left, every value already in its
 * text form ({@link dev.ddbwarehouse.core.value.TextForm}).
 *
 * @param values one per {@link TableSpec#columnNames()}, null for SQL NULL; never changed after
 *     mapping
 * @param version the item version the replay guard compares
 * @param versionAttribute the attribute the version came from, null when no version attribute was
 *     present and the record's stamp stands in
 */
public record TableRow(
    TableSpec table,
    RowKey key,
    Instant version,
    String versionAttribute,
    String keyVersion,
    String[] values) {

  public TableRow withVersion(Instant value) {
    return new TableRow(table, key, value, versionAttribute, keyVersion, values);
  }

  /** The text of column {@code i} of {@link TableSpec#columnNames()}. */
  public String value(int i) {
    return values[i];
  }

  @Override
  public String toString() {
    return "TableRow(" + table.name() + ", " + values.length + " columns)";
  }
}
