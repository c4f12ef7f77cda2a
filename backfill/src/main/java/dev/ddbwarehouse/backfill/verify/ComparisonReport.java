package dev.ddbwarehouse.backfill.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the items of one table compare with the warehouse: a count per {@link Verdict} and, for what
 * is pending, the first keys as the warehouse stores them (pseudonyms where the key is
 * pseudonymised, so never a raw identifying value).
 */
public final class ComparisonReport {

  private final String table;
  private final List<String> keyColumns;
  private final int sampleLimit;
  private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
  private final List<String> missing = new ArrayList<>();
  private final List<String> outdated = new ArrayList<>();

  /**
   * @param keyColumns the warehouse key columns, in key order, naming the listed keys
   */
  public ComparisonReport(String table, List<String> keyColumns, int sampleLimit) {
    this.table = table;
    this.keyColumns = List.copyOf(keyColumns);
    this.sampleLimit = sampleLimit;
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0L);
    }
  }

  /**
   * @param key null for an item without a usable key
   */
  synchronized void add(StoredKey key, Verdict verdict) {
    counts.merge(verdict, 1L, Long::sum);
    if (verdict == Verdict.MISSING && missing.size() < sampleLimit) {
      missing.add(key.display(keyColumns));
    } else if (verdict == Verdict.OUTDATED && outdated.size() < sampleLimit) {
      outdated.add(key.display(keyColumns));
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
      lines.add(heading("missing", count(Verdict.MISSING), missing.size()));
      missing.forEach(key -> lines.add("  " + key));
    }
    if (!outdated.isEmpty()) {
      lines.add(heading("outdated", count(Verdict.OUTDATED), outdated.size()));
      outdated.forEach(key -> lines.add("  " + key));
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

  /**
   * e.g. {@code missing user_pseudonym (first 20):}; a key of several columns is listed as its
   * source_key JSON.
   */
  private String heading(String what, long count, int listed) {
    return what
        + " "
        + String.join(", ", keyColumns)
        + (count > listed ? " (first " + listed + ")" : "")
        + ":";
  }
}
