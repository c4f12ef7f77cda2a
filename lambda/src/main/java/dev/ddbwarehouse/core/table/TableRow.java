package dev.ddbwarehouse.core.table;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One warehouse row: typed, pseudonymised, nothing identifying left, every value already in its
 * text form ({@link dev.ddbwarehouse.core.value.TextForm}).
 *
 * @param values one per {@link TableSpec#columnNames()}, null for SQL NULL; never changed after
 *     mapping
 * @param version the item version the replay guard compares
 * @param versionAttribute the attribute the version came from, null when no version attribute was
 *     present and the record's stamp stands in
 * @param keyVersion the key version of the row's pseudonyms; null for a row anonymised by erasure
 * @param tokens per column like {@code values}: the suppression token of each pseudonym column (its
 *     pseudonym under the ring's suppression version), what the erasure check looks up; the very
 *     {@code values} array when the active version is the suppression version
 * @param olderKeys for a table keyed by a pseudonym, after a rotation: the row's key under each
 *     older version of the ring, the rows a re-key moves to this key; empty otherwise
 */
public record TableRow(
    TableSpec table,
    RowKey key,
    Instant version,
    String versionAttribute,
    String keyVersion,
    String[] values,
    String[] tokens,
    List<RowKey> olderKeys) {

  public TableRow {
    olderKeys = List.copyOf(olderKeys);
  }

  public TableRow withVersion(Instant value) {
    return new TableRow(table, key, value, versionAttribute, keyVersion, values, tokens, olderKeys);
  }

  /** The suppression token of pseudonym column {@code i}; null where the column is empty. */
  public String token(int i) {
    return tokens[i];
  }

  /**
   * This row as an erased subject's image is written to a table whose erasure action is {@link
   * Erasure.Action#ANONYMISE}: every pseudonym column and the declared quasi-identifiers NULL, no
   * key version (no key produced anything left in it).
   */
  public TableRow anonymised() {
    List<String> names = table.columnNames();
    Set<String> cleared = new HashSet<>(table.pseudonymColumns());
    cleared.addAll(table.erasure().clearColumns());
    String[] kept = values.clone();
    for (int i = 0; i < kept.length; i++) if (cleared.contains(names.get(i))) kept[i] = null;
    return new TableRow(
        table, key, version, versionAttribute, null, kept, new String[kept.length], olderKeys);
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
