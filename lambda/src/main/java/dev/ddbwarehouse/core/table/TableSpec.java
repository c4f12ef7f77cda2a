package dev.ddbwarehouse.core.table;

import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.core.policy.VersionWindow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One entry of the mapping document: a DynamoDB source table, the warehouse table it feeds and the
 * rule for every attribute. Everything that differs between tables is here, as data; the mapper,
 * the batch processor and the sink are the same code for every table.
 *
 * @param name the entry's name (reports, metrics, {@code backfill.sh --source})
 * @param source the DynamoDB table whose stream feeds it
 * @param shadow the backfill shadow table whose stream feeds it too
 * @param keyAttributes partition key, then sort key if the table has one
 * @param versionAttributes in order of preference; empty means stream order and the record's stamp
 * @param rules by attribute name, in document order
 * @param identifyingStoredRaw identifying attributes the entry explicitly stores raw
 * @param erasure what erasing a data subject does to this table's rows
 * @param quasiIdentifiers columns that together could single a person out (birth year band, sex,
 *     country, ...): what {@code gdpr.sh k-anonymity} groups the live rows by; empty: not checked
 */
public record TableSpec(
    String name,
    String source,
    String shadow,
    TargetTable target,
    List<String> keyAttributes,
    List<String> versionAttributes,
    Map<String, AttributeRule> rules,
    TtlDeletes ttlDeletes,
    VersionWindow versionWindow,
    SortedSet<String> identifyingStoredRaw,
    Erasure erasure,
    List<String> quasiIdentifiers) {

  /** The jsonb column that allow-listed {@code extra} attributes go to. */
  public static final String EXTRA_COLUMN = "extra";

  public TableSpec {
    keyAttributes = List.copyOf(keyAttributes);
    versionAttributes = List.copyOf(versionAttributes);
    rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    if (versionWindow == null) versionWindow = VersionWindow.DEFAULT;
    identifyingStoredRaw = Collections.unmodifiableSortedSet(new TreeSet<>(identifyingStoredRaw));
    if (erasure == null) erasure = Erasure.DELETE_ROWS;
    quasiIdentifiers = quasiIdentifiers == null ? List.of() : List.copyOf(quasiIdentifiers);
  }

  /** The pseudonymised columns in {@code namespace}, in {@link #columnNames()} order. */
  public List<String> columnsInNamespace(String namespace) {
    return columnRules().stream()
        .filter(r -> r.treatment() == Treatment.PSEUDONYMISE && namespace.equals(r.namespace()))
        .map(AttributeRule::column)
        .toList();
  }

  /**
   * Whether a key part is a pseudonym: a rotation changes such a key, an erasure removes the row.
   */
  public boolean keyIsPseudonymised() {
    return keyRules().stream().anyMatch(r -> r.treatment() == Treatment.PSEUDONYMISE);
  }

  /** Every pseudonymised column, in {@link #columnNames()} order. */
  public List<String> pseudonymColumns() {
    return columnRules().stream()
        .filter(r -> r.treatment() == Treatment.PSEUDONYMISE)
        .map(AttributeRule::column)
        .toList();
  }

  public Optional<AttributeRule> rule(String attribute) {
    return Optional.ofNullable(rules.get(attribute));
  }

  /** The rules of the key attributes, in key order. */
  public List<AttributeRule> keyRules() {
    return keyAttributes.stream().map(rules::get).toList();
  }

  /** The rules that write a column: key columns first (in key order), then document order. */
  public List<AttributeRule> columnRules() {
    List<AttributeRule> out = new ArrayList<>(keyRules());
    for (AttributeRule r : rules.values()) {
      if (r.column() != null && !keyAttributes.contains(r.attribute())) out.add(r);
    }
    return out;
  }

  public boolean hasExtra() {
    return rules.values().stream().anyMatch(r -> r.treatment() == Treatment.EXTRA);
  }

  /** Every column a row carries a value for: {@link #columnRules()}, then {@code extra} if used. */
  public List<String> columnNames() {
    List<String> out = new ArrayList<>();
    columnRules().forEach(r -> out.add(r.column()));
    if (hasExtra()) out.add(EXTRA_COLUMN);
    return out;
  }

  /** The key columns, in key order. */
  public List<String> keyColumns() {
    return keyRules().stream().map(AttributeRule::column).toList();
  }

  /**
   * The attributes every item is expected to carry, sorted: those feeding a required column (an
   * item without one is quarantined) and the pseudonymised identifiers (an item without one gets a
   * NULL pseudonym, silently). A whole batch without one of them usually means the mapping names an
   * attribute the table does not have, e.g. a misspelling.
   */
  public SortedSet<String> expectedAttributes() {
    SortedSet<String> expected = new TreeSet<>();
    for (AttributeRule r : rules.values()) {
      boolean required =
          r.column() != null && (r.required() || keyAttributes.contains(r.attribute()));
      if (required || r.treatment() == Treatment.PSEUDONYMISE) expected.add(r.attribute());
    }
    return expected;
  }

  public TableSpec withTtlDeletes(TtlDeletes value) {
    return new TableSpec(
        name,
        source,
        shadow,
        target,
        keyAttributes,
        versionAttributes,
        rules,
        value,
        versionWindow,
        identifyingStoredRaw,
        erasure,
        quasiIdentifiers);
  }
}
