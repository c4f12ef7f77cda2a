package dev.ddbwarehouse.local.mapping;

import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Policy;
import dev.ddbwarehouse.core.policy.Treatment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a validated policy does, one line per treatment, for an operator to read back. */
public final class PolicySummary {

  private PolicySummary() {}

  public static List<String> lines(Policy policy) {
    List<String> lines = new ArrayList<>();
    for (Treatment t : Treatment.values()) {
      String rules =
          policy.rules().values().stream()
              .filter(r -> r.treatment() == t)
              .sorted(Comparator.comparing(AttributeRule::attribute))
              .map(PolicySummary::describe)
              .collect(Collectors.joining(", "));
      if (!rules.isEmpty()) lines.add(String.format("  %-14s%s", t.documentName(), rules));
    }
    lines.add(String.format("  %-14s%s", "ttlDeletes", policy.ttlDeletes().documentName()));
    return lines;
  }

  /** The attributes whose value reaches the warehouse: all but the dropped ones. */
  public static Set<String> mappedAttributes(Policy policy) {
    Set<String> mapped = new TreeSet<>();
    policy.rules().values().stream()
        .filter(r -> r.treatment() != Treatment.DROP)
        .forEach(r -> mapped.add(r.attribute()));
    return mapped;
  }

  private static String describe(AttributeRule r) {
    if (r.column() == null) return r.attribute();
    String target = r.attribute() + " -> " + r.column().sqlName();
    if (r.treatment() == Treatment.PSEUDONYMISE) {
      target += " (" + r.namespace() + ", " + r.normaliser().documentName() + ")";
    }
    return target;
  }
}
