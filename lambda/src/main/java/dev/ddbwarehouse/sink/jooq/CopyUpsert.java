package dev.ddbwarehouse.sink.jooq;

import static dev.ddbwarehouse.schema.jooq.warehouse.Tables.TRANSACTIONS;

import dev.ddbwarehouse.core.change.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGStatement;

/**
 * The bulk path for images, in two lanes chosen per row by one index probe:
 *
 * <ul>
 *   <li>ids the warehouse has never seen are COPYed straight into {@code warehouse.transactions}:
 *       with no stored row there is nothing to guard against, so a plain insert is exactly what
 *       the upsert would do, at the price of the COPY alone;
 *   <li>the others are COPYed into a session-local staging table, then merged by one jOOQ {@code
 *       INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE <newer>}.
 * </ul>
 *
 * A writer on another connection (the backfill stream's function, say) may insert one of the
 * "new" ids between the probe and the COPY; the COPY then fails on the primary key, is rolled back
 * to a savepoint, and every row takes the guarded lane. Correctness never depends on the probe.
 */
final class CopyUpsert {

  static final String STAGING = "etl_staging_transactions";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final Table<?> STAGING_TABLE = DSL.table(DSL.name(STAGING));
  private static final List<Field<?>> COLUMNS = new ArrayList<>(UnnestUpsert.IMAGE_COLUMNS.keySet());
  private static final String COLUMN_LIST = COLUMNS.stream().map(Field::getName).collect(Collectors.joining(", "));
  private static final String STAGING_COPY = "COPY " + STAGING + " (" + COLUMN_LIST + ") FROM STDIN";
  private static final String DIRECT_COPY =
      "COPY warehouse.transactions (" + COLUMN_LIST + ", " + TRANSACTIONS.INGESTED_AT.getName() + ") FROM STDIN";

  private CopyUpsert() {}

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
              + COLUMN_LIST
              + " FROM warehouse.transactions WITH NO DATA");
    }
    connection.commit();
  }

  /** {@code upserts}: at most one per transaction id, sorted by it. */
  static void write(DSLContext dsl, Connection connection, List<Change.Upsert> upserts, OffsetDateTime now)
      throws SQLException {
    Set<String> stored = storedIds(dsl, connection, upserts);
    List<Change.Upsert> fresh = new ArrayList<>(upserts.size() - stored.size());
    List<Change.Upsert> guarded = new ArrayList<>(stored.size());
    for (Change.Upsert u : upserts) (stored.contains(u.row().transactionId()) ? guarded : fresh).add(u);
    if (!fresh.isEmpty() && !insertFresh(connection, fresh, now)) {
      guarded = upserts;
    }
    if (!guarded.isEmpty()) merge(dsl, connection, guarded, now);
  }

  /** Ids of these upserts that already have a row (live, soft-deleted or a tombstone). */
  private static Set<String> storedIds(DSLContext dsl, Connection connection, List<Change.Upsert> upserts)
      throws SQLException {
    String[] ids = upserts.stream().map(u -> u.row().transactionId()).toArray(String[]::new);
    String probe =
        dsl.select(TRANSACTIONS.TRANSACTION_ID)
            .from(TRANSACTIONS)
            .where(TRANSACTIONS.TRANSACTION_ID.eq(DSL.any(DSL.val(ids, SQLDataType.CLOB.array()))))
            .getSQL();
    Set<String> stored = new HashSet<>();
    try (PreparedStatement ps = connection.prepareStatement(probe)) {
      // Planned with the ids in hand (never a server-side prepared statement) and bound as a
      // real text[], so PostgreSQL sees a constant array: it probes the primary key, or on a
      // small table hashes the ids. A generic plan, or an array cast from text in SQL, leaves a
      // scan comparing every row with every id, which grows with the table.
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
      ps.setArray(1, connection.createArrayOf("text", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) stored.add(rs.getString(1));
      }
    }
    return stored;
  }

  /** False when another writer inserted one of the ids meanwhile: nothing of the COPY remains. */
  private static boolean insertFresh(Connection connection, List<Change.Upsert> fresh, OffsetDateTime now)
      throws SQLException {
    Savepoint savepoint = connection.setSavepoint();
    try {
      CopyText.copy(connection, DIRECT_COPY, fresh, UnnestUpsert.text(now.toInstant()));
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(SqlFailure.of(e).sqlState())) throw e;
      connection.rollback(savepoint);
      return false;
    }
    connection.releaseSavepoint(savepoint);
    return true;
  }

  private static void merge(DSLContext dsl, Connection connection, List<Change.Upsert> upserts, OffsetDateTime now)
      throws SQLException {
    CopyText.copy(connection, STAGING_COPY, upserts, null);
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
}
