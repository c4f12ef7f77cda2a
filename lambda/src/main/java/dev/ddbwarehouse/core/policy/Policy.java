package dev.ddbwarehouse.core.policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The validated pseudonymisation policy: which source attribute feeds which column and how.
 * Attributes it does not name are dropped and counted, never stored.
 */
public record Policy(Map<String, AttributeRule> rules, TtlDeletes ttlDeletes) {

  public Policy {
    rules = Map.copyOf(rules);
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

  public Policy withTtlDeletes(TtlDeletes value) {
    return new Policy(rules, value);
  }
}
