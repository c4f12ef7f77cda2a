package dev.ddbwarehouse.core.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The validated pseudonymisation policy: which source attribute feeds which column and how.
 * Attributes it does not name are dropped and counted, never stored.
 *
 * @param identifyingStoredRaw identifying attributes the document explicitly allows to be stored
 *     raw ({@code storeIdentifyingRaw}); the function logs a warning for each at start-up
 */
public record Policy(
    Map<String, AttributeRule> rules,
    TtlDeletes ttlDeletes,
    VersionWindow versionWindow,
    SortedSet<String> identifyingStoredRaw) {

  public Policy {
    rules = Map.copyOf(rules);
    if (versionWindow == null) versionWindow = VersionWindow.DEFAULT;
    identifyingStoredRaw = Collections.unmodifiableSortedSet(new TreeSet<>(identifyingStoredRaw));
  }

  public Policy(Map<String, AttributeRule> rules, TtlDeletes ttlDeletes) {
    this(rules, ttlDeletes, VersionWindow.DEFAULT, new TreeSet<>());
  }

  public Optional<AttributeRule> rule(String attribute) {
    return Optional.ofNullable(rules.get(attribute));
  }

  /** The source attribute feeding each mapped column. */
  public Map<Column, AttributeRule> byColumn() {
    Map<Column, AttributeRule> out = new EnumMap<>(Column.class);
    rules.values().stream().filter(r -> r.column() != null).forEach(r -> out.put(r.column(), r));
    return out;
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
      boolean required = r.column() != null && r.column().required();
      if (required || r.treatment() == Treatment.PSEUDONYMISE) expected.add(r.attribute());
    }
    return expected;
  }

  public Policy withTtlDeletes(TtlDeletes value) {
    return new Policy(rules, value, versionWindow, identifyingStoredRaw);
  }
}
