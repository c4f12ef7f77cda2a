package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.change.Change;
import java.util.Comparator;
import org.jooq.Collation;
import org.jooq.impl.DSL;

/**
 * The one order in which every batch locks rows of {@code warehouse.transactions}: transaction ids
 * by Unicode code point. That is the order of PostgreSQL's "C" collation on UTF-8 text, so the rows
 * a batch COPYs in this order and the staged rows the database sorts with {@link #COLLATION} are
 * locked in the same sequence. ({@link String#compareTo} compares UTF-16 units and disagrees for
 * characters beyond U+FFFF; the database's default collation may disagree anywhere.)
 */
final class KeyOrder {

  static final Collation COLLATION = DSL.collation(DSL.name("C"));

  static final Comparator<Change> CHANGES = Comparator.comparing(KeyOrder::id, KeyOrder::compare);

  private KeyOrder() {}

  static String id(Change change) {
    return switch (change) {
      case Change.Upsert u -> u.row().transactionId();
      case Change.Delete d -> d.transactionId();
      case Change.Quarantine q -> q.transactionId();
      case Change.Skip s -> throw new IllegalArgumentException("a skipped record writes no row");
    };
  }

  static int compare(String a, String b) {
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
}
