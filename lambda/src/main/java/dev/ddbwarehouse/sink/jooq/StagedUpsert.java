package dev.ddbwarehouse.sink.jooq;

import static dev.ddbwarehouse.schema.jooq.warehouse.Tables.TRANSACTIONS;

import dev.ddbwarehouse.core.change.Change;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The bulk path for images: COPY the batch into a session-local staging table, then one jOOQ
 * {@code INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE <newer>} into the warehouse. COPY is the
 * fastest way into PostgreSQL (its parser beats array literals several times over); the staging
 * table lives as long as the connection and empties itself at every commit.
 */
final class StagedUpsert {

  static final String STAGING = "etl_staging_transactions";

  private static final Table<?> STAGING_TABLE = DSL.table(DSL.name(STAGING));
  private static final List<Field<?>> COLUMNS = new ArrayList<>(UnnestUpsert.IMAGE_COLUMNS.keySet());
  private static final String COPY_SQL =
      "COPY "
          + STAGING
          + " ("
          + COLUMNS.stream().map(Field::getName).collect(Collectors.joining(", "))
          + ") FROM STDIN";

  private StagedUpsert() {}

  /**
   * Creates the staging table for this session, once per connection, and commits at once: created
   * inside a batch's transaction, a rolled-back batch would take the table with it.
   */
  static void prepare(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      // CREATE … AS … WITH NO DATA copies the column types (so COPY parses each value as its real
      // type) but not the NOT NULL constraints of columns the staging rows leave empty.
      s.execute(
          "CREATE TEMPORARY TABLE IF NOT EXISTS "
              + STAGING
              + " ON COMMIT DELETE ROWS AS SELECT "
              + COLUMNS.stream().map(Field::getName).collect(Collectors.joining(", "))
              + " FROM warehouse.transactions WITH NO DATA");
    }
    connection.commit();
  }

  static void write(DSLContext dsl, Connection connection, List<Change.Upsert> upserts, OffsetDateTime now)
      throws SQLException {
    copy(connection, upserts);
    Table<?> s = STAGING_TABLE.as("s");
    List<Field<?>> targets = new ArrayList<>(COLUMNS);
    List<Field<?>> selected = new ArrayList<>();
    for (Field<?> target : COLUMNS) selected.add(DSL.field(DSL.name("s", target.getName()), target.getDataType()));
    targets.add(TRANSACTIONS.INGESTED_AT);
    selected.add(DSL.val(now));
    dsl.insertInto(TRANSACTIONS)
        .columns(targets)
        .select(DSL.select(selected).from(s))
        .onConflict(TRANSACTIONS.TRANSACTION_ID)
        .doUpdate()
        .set(UnnestUpsert.imageUpdates(COLUMNS, now))
        .where(UnnestUpsert.imageIsNewer())
        .execute();
  }

  private static void copy(Connection connection, List<Change.Upsert> upserts) throws SQLException {
    StringBuilder data = new StringBuilder(upserts.size() * 640);
    List<Function<Change.Upsert, String>> values = new ArrayList<>(UnnestUpsert.IMAGE_COLUMNS.values());
    for (Change.Upsert u : upserts) {
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) data.append('\t');
        appendField(data, values.get(i).apply(u));
      }
      data.append('\n');
    }
    // One encoded buffer handed over in one call: pgjdbc's Reader variant re-encodes in small
    // chunks, which profiling showed costing more than building the text.
    byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
    try {
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) copy.cancelCopy();
    }
  }

  /** A field in COPY's text format: \\N for NULL; backslash, tab, newline, CR escaped. */
  static void appendField(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    int i = 0;
    while (i < value.length() && !special(value.charAt(i))) i++;
    if (i == value.length()) {
      out.append(value); // the common case: nothing to escape
      return;
    }
    out.append(value, 0, i);
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }

  private static boolean special(char c) {
    return c == '\\' || c == '\t' || c == '\n' || c == '\r';
  }
}
