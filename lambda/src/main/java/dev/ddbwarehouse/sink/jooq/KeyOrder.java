package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.table.RowKey;
import java.util.Comparator;
import org.jooq.Collation;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * The one order in which every batch locks rows of a table: {@link RowKey#ORDER}, text key parts by
 * Unicode code point. That is the order of PostgreSQL's "C" collation on UTF-8 text, so the rows a
 * batch COPYs in this order and the staged rows the database sorts with {@link #sort} are locked in
 * the same sequence. (The database's default collation may disagree anywhere.) Tables are written
 * in the order of their target names, so two batches touching two tables lock them in one order.
 */
final class KeyOrder {

  static final Collation COLLATION = DSL.collation(DSL.name("C"));

  static final Comparator<Change.Write> CHANGES =
      Comparator.comparing(Change.Write::key, RowKey.ORDER);

  private KeyOrder() {}

  /** The ORDER BY term of a staged key column: text by code point, anything else as it is. */
  @SuppressWarnings("unchecked")
  static SortField<?> sort(Field<?> stagedKey) {
    return stagedKey.getType() == String.class
        ? ((Field<String>) stagedKey).collate(COLLATION).asc()
        : stagedKey.asc();
  }
}
