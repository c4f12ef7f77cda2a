package dev.ddbwarehouse.core.table;

import java.util.Comparator;
import java.util.List;

/**
 * A row's key as the warehouse stores it (pseudonymised where the table's rule says so), one typed
 * part per key column: String, BigDecimal (trailing zeros stripped, so 1.0 and 1 are one key),
 * Instant or LocalDate. Never the raw value of an identifying key.
 */
public record RowKey(List<Object> parts) {

  /**
   * The order every batch writes rows in: part by part, strings by Unicode code point (the order of
   * PostgreSQL's "C" collation on UTF-8 text), everything else in its natural order.
   */
  public static final Comparator<RowKey> ORDER = RowKey::compare;

  public RowKey {
    parts = List.copyOf(parts);
  }

  public static RowKey of(Object... parts) {
    return new RowKey(List.of(parts));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(RowKey a, RowKey b) {
    for (int i = 0; i < Math.min(a.parts.size(), b.parts.size()); i++) {
      Object x = a.parts.get(i);
      Object y = b.parts.get(i);
      int c =
          x instanceof String s && y instanceof String t
              ? codePoints(s, t)
              : ((Comparable) x).compareTo(y);
      if (c != 0) return c;
    }
    return Integer.compare(a.parts.size(), b.parts.size());
  }

  /** {@link String#compareTo} compares UTF-16 units and disagrees beyond U+FFFF. */
  public static int codePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  @Override
  public String toString() {
    return "RowKey(" + parts.size() + " parts)"; // keys can be data: never printed
  }
}
