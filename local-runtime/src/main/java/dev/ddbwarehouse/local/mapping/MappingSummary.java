package dev.ddbwarehouse.local.mapping;

import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Treatment;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a validated mapping does, per table one line per treatment, for an operator to read. */
public final class MappingSummary {

  private MappingSummary() {}

  public static List<String> lines(Mapping mapping) {
    List<String> lines = new ArrayList<>();
    for (TableSpec table : mapping.tables()) {
      lines.add(
          "table "
              + table.name()
              + ": "
              + (mapping.routesEveryTable()
                  ? "every source table"
                  : table.source() + " (shadow " + table.shadow() + ")")
              + " -> "
              + table.target()
              + ", key "
              + String.join(", ", table.keyAttributes())
              + (table.versionAttributes().isEmpty()
                  ? ", stream order"
                  : ", version " + String.join(", ", table.versionAttributes())));
      for (Treatment t : Treatment.values()) {
        String rules =
            table.rules().values().stream()
                .filter(r -> r.treatment() == t)
                .sorted(Comparator.comparing(AttributeRule::attribute))
                .map(MappingSummary::describe)
                .collect(Collectors.joining(", "));
        if (!rules.isEmpty()) lines.add(String.format("  %-14s%s", t.documentName(), rules));
      }
      lines.add(String.format("  %-14s%s", "ttlDeletes", table.ttlDeletes().documentName()));
    }
    return lines;
  }

  /** The attributes whose value reaches the warehouse: all but the dropped ones. */
  public static Set<String> mappedAttributes(TableSpec table) {
    Set<String> mapped = new TreeSet<>();
    table.rules().values().stream()
        .filter(r -> r.treatment() != Treatment.DROP)
        .forEach(r -> mapped.add(r.attribute()));
    return mapped;
  }

  private static String describe(AttributeRule r) {
    if (r.column() == null) return r.attribute();
    String target = r.attribute() + " -> " + r.column();
    if (r.treatment() == Treatment.PSEUDONYMISE) {
      target += " (" + r.namespace() + ", " + r.normaliser().documentName() + ")";
    }
    return target;
  }
}
