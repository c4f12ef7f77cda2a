package dev.ddbwarehouse.sink.jooq;

import static dev.ddbwarehouse.schema.jooq.warehouse.Tables.TRANSACTIONS;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.EventKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The bulk path for images, in two lanes:
 *
 * <ul>
 *   <li>images of INSERT records (the item was just created, so the warehouse has normally never
 *       seen its id) are COPYed straight into {@code warehouse.transactions}: with no stored row
 *       there is nothing to guard against, so a plain insert is exactly what the upsert would do,
 *       at the price of the COPY alone;
 *   <li>the others (MODIFY images) are COPYed into a session-local staging table, then merged by
 *       one jOOQ {@code INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE <newer>}.
 * </ul>
 *
 * An INSERT whose id is stored after all (a replayed batch, a backfilled item the live stream
 * already wrote, a tombstone, or another writer inserting it concurrently) fails the COPY on the
 * primary key; it is rolled back to a savepoint and every image takes the guarded lane. A replay
 * fails on its first row, so the wasted work is small where it is common. Correctness never depends
 * on the lane: the guarded lane is right for every image.
 */
final class CopyUpsert {

  private static final String STAGING = "etl_staging_transactions";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INSERT = EventKind.INSERT.name();
  private static final Table<?> STAGING_TABLE = DSL.table(DSL.name(STAGING));
  private static final List<Field<?>> COLUMNS =
      new ArrayList<>(UnnestUpsert.IMAGE_COLUMNS.keySet());
  private static final String COLUMN_LIST =
      COLUMNS.stream().map(Field::getName).collect(Collectors.joining(", "));
  private static final String STAGING_COPY =
      "COPY " + STAGING + " (" + COLUMN_LIST + ") FROM STDIN";
  private static final String DIRECT_COPY =
      "COPY warehouse.transactions ("
          + COLUMN_LIST
          + ", "
          + TRANSACTIONS.INGESTED_AT.getName()
          + ") FROM STDIN";

  private CopyUpsert() {}

  /**
   * The session's staging table, created the first time a batch needs the guarded lane and inside
   * that batch's transaction (so a batch of INSERTs never creates it: behind RDS Proxy a temporary
   * table pins the session). A rolled-back batch takes a table it created with it; the next one
   * creates it again.
   */
  static final class Staging {
    private Connection ready;
    private Connection pending;

    void ensure(Connection connection) throws SQLException {
      if (connection == ready || connection == pending) return;
      try (Statement s = connection.createStatement()) {
        // CREATE … AS … WITH NO DATA copies the column types (so COPY parses each value as its
        // real type) but not the NOT NULL constraints of columns the staging rows leave empty.
        s.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS "
                + STAGING
                + " ON COMMIT DELETE ROWS AS SELECT "
                + COLUMN_LIST
                + " FROM warehouse.transactions WITH NO DATA");
      }
      pending = connection;
    }

    void committed() {
      if (pending != null) ready = pending;
      pending = null;
    }

    void rolledBack() {
      pending = null;
    }
  }

  /** {@code upserts}: at most one per transaction id, sorted by it. */
  static void write(
      DSLContext dsl,
      Connection connection,
      Staging staging,
      List<Change.Upsert> upserts,
      OffsetDateTime now)
      throws SQLException {
    List<Change.Upsert> fresh = new ArrayList<>(upserts.size());
    List<Change.Upsert> guarded = new ArrayList<>();
    for (Change.Upsert u : upserts) (INSERT.equals(u.meta().eventName()) ? fresh : guarded).add(u);
    if (!fresh.isEmpty() && !insertFresh(connection, fresh, now)) {
      guarded = upserts;
    }
    if (!guarded.isEmpty()) {
      staging.ensure(connection);
      merge(dsl, connection, guarded, now);
    }
  }

  /** False when one of the ids is stored already: then nothing of the COPY remains. */
  private static boolean insertFresh(
      Connection connection, List<Change.Upsert> fresh, OffsetDateTime now) throws SQLException {
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

  private static void merge(
      DSLContext dsl, Connection connection, List<Change.Upsert> upserts, OffsetDateTime now)
      throws SQLException {
    CopyText.copy(connection, STAGING_COPY, upserts, null);
    Table<?> s = STAGING_TABLE.as("s");
    List<Field<?>> targets = new ArrayList<>(COLUMNS);
    List<Field<?>> selected = new ArrayList<>();
    for (Field<?> target : COLUMNS)
      selected.add(DSL.field(DSL.name("s", target.getName()), target.getDataType()));
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
