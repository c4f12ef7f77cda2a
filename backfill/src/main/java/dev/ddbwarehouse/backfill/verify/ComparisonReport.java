package dev.ddbwarehouse.backfill.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the items of one table compare with the warehouse: a count per {@link Verdict} and, for what
 * is pending, the first transaction ids (ids only: they are not personal data).
 */
public final class ComparisonReport {

  private final String table;
  private final int sampleLimit;
  private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
  private final List<String> missing = new ArrayList<>();
  private final List<String> outdated = new ArrayList<>();

  public ComparisonReport(String table, int sampleLimit) {
    this.table = table;
    this.sampleLimit = sampleLimit;
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0L);
    }
  }

  synchronized void add(String transactionId, Verdict verdict) {
    counts.merge(verdict, 1L, Long::sum);
    if (verdict == Verdict.MISSING && missing.size() < sampleLimit) {
      missing.add(transactionId);
    } else if (verdict == Verdict.OUTDATED && outdated.size() < sampleLimit) {
      outdated.add(transactionId);
    }
  }

  public String table() {
    return table;
  }

  public synchronized long count(Verdict verdict) {
    return counts.get(verdict);
  }

  public synchronized long items() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Items whose current version is not in the warehouse yet. */
  public synchronized long pending() {
    return count(Verdict.MISSING) + count(Verdict.OUTDATED);
  }

  public synchronized List<String> missingSample() {
    return List.copyOf(missing);
  }

  public synchronized List<String> outdatedSample() {
    return List.copyOf(outdated);
  }

  /** The report for people, then one machine-readable line. */
  public synchronized List<String> lines(String label) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s: %,d items in %s", label, items(), table));
    for (Verdict v : Verdict.values()) {
      lines.add(
          String.format(Locale.ROOT, "  %-14s %,d", v.name().toLowerCase(Locale.ROOT), count(v)));
    }
    if (!missing.isEmpty()) {
      lines.add(
          "missing transaction ids"
              + (count(Verdict.MISSING) > missing.size() ? " (first " + missing.size() + ")" : "")
              + ":");
      missing.forEach(id -> lines.add("  " + id));
    }
    if (!outdated.isEmpty()) {
      lines.add(
          "outdated transaction ids"
              + (count(Verdict.OUTDATED) > outdated.size()
                  ? " (first " + outdated.size() + ")"
                  : "")
              + ":");
      outdated.forEach(id -> lines.add("  " + id));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "%s items=%d present=%d deleted_since=%d quarantined=%d outdated=%d missing=%d no_id=%d",
            label.toUpperCase(Locale.ROOT),
            items(),
            count(Verdict.PRESENT),
            count(Verdict.DELETED_SINCE),
            count(Verdict.QUARANTINED),
            count(Verdict.OUTDATED),
            count(Verdict.MISSING),
            count(Verdict.NO_ID)));
    return lines;
  }
}
