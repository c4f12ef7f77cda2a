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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Writes a batch's images and deletes as one pass over its keys in {@link KeyOrder}. Each statement
 * below locks the rows it inserts or updates in the order it reads its input, and a batch runs one
 * of them (two when the direct lane falls back), so every batch locks in the same global order and
 * a live and a backfill batch on the same rows wait for each other instead of deadlocking:
 *
 * <ul>
 *   <li>a batch of INSERT images only (the items were just created, so the warehouse has normally
 *       never seen their ids) is COPYed straight into {@code warehouse.transactions}: with no
 *       stored row there is nothing to guard against, so a plain insert is exactly what the upsert
 *       would do, at the price of the COPY alone;
 *   <li>any other batch (MODIFY images, deletes, a mix) is COPYed into a session-local staging
 *       table, then merged by one jOOQ {@code INSERT … SELECT … ORDER BY transaction_id ON CONFLICT
 *       DO UPDATE} whose SET and WHERE follow each row's kind: an image replaces a row it is newer
 *       than, a delete soft-deletes a row it is later than (see {@link UnnestUpsert}'s guards).
 * </ul>
 *
 * Images and deletes as two statements, each sorted, would not do: a batch that locks keys 1 and 3
 * for its images and then 2 for its delete can meet one that holds 2 and waits for 1. An INSERT
 * whose id is stored after all (a replayed batch, a backfilled item the live stream already wrote,
 * a tombstone, or another writer inserting it concurrently) fails the direct COPY on the primary
 * key; it is rolled back to a savepoint and the batch takes the staged lane. A replay fails on its
 * first row, so the wasted work is small where it is common. Correctness never depends on the lane:
 * the staged lane is right for every change.
 */
final class CopyUpsert {

  private static final String STAGING = "etl_staging_transactions";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INSERT = EventKind.INSERT.name();
  private static final Table<?> STAGING_TABLE = DSL.table(DSL.name(STAGING));

  /** What a delete writes besides its key: where it came from, its version, when it happened. */
  private static final Map<Field<?>, Function<Change.Delete, String>> DELETE_COLUMNS =
      Map.of(
          TRANSACTIONS.TRANSACTION_ID, Change.Delete::transactionId,
          TRANSACTIONS.SOURCE_VERSION, d -> UnnestUpsert.text(d.version()),
          TRANSACTIONS.SOURCE_STREAM, d -> d.meta().eventSourceArn(),
          TRANSACTIONS.SOURCE_SEQUENCE, d -> d.sequence().toString());

  /** The staged columns (every image column, then deleted_at) with their text per change. */
  private static final Map<Field<?>, Function<Change, String>> STAGED = staged();

  private static final List<Field<?>> STAGED_COLUMNS = new ArrayList<>(STAGED.keySet());
  private static final String STAGED_LIST = names(STAGED_COLUMNS);
  private static final String STAGING_COPY =
      "COPY " + STAGING + " (" + STAGED_LIST + ") FROM STDIN";
  private static final String DIRECT_COPY =
      "COPY warehouse.transactions ("
          + names(UnnestUpsert.IMAGE_COLUMNS.keySet())
          + ", "
          + TRANSACTIONS.INGESTED_AT.getName()
          + ") FROM STDIN";

  private CopyUpsert() {}

  private static Map<Field<?>, Function<Change, String>> staged() {
    Map<Field<?>, Function<Change, String>> c = new LinkedHashMap<>();
    UnnestUpsert.IMAGE_COLUMNS.forEach(
        (column, image) -> {
          Function<Change.Delete, String> delete = DELETE_COLUMNS.getOrDefault(column, d -> null);
          c.put(
              column,
              change ->
                  change instanceof Change.Upsert u
                      ? image.apply(u)
                      : delete.apply((Change.Delete) change));
        });
    c.put(
        TRANSACTIONS.DELETED_AT,
        change -> change instanceof Change.Delete d ? UnnestUpsert.text(d.deletedAt()) : null);
    return c;
  }

  private static String names(Iterable<Field<?>> columns) {
    List<String> names = new ArrayList<>();
    columns.forEach(f -> names.add(f.getName()));
    return String.join(", ", names);
  }

  /**
   * The session's staging table, created the first time a batch needs the staged lane and inside
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
                + STAGED_LIST
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

  /** {@code changes}: upserts and deletes, at most one per transaction id, in {@link KeyOrder}. */
  static void write(
      DSLContext dsl,
      Connection connection,
      Staging staging,
      List<Change> changes,
      OffsetDateTime now)
      throws SQLException {
    if (onlyInserts(changes) && insertFresh(connection, changes, now)) return;
    staging.ensure(connection);
    merge(dsl, connection, changes, now);
  }

  private static boolean onlyInserts(List<Change> changes) {
    for (Change c : changes) {
      if (!(c instanceof Change.Upsert u && INSERT.equals(u.meta().eventName()))) return false;
    }
    return true;
  }

  /** False when one of the ids is stored already: then nothing of the COPY remains. */
  private static boolean insertFresh(
      Connection connection, List<Change> inserts, OffsetDateTime now) throws SQLException {
    String ingestedAt = UnnestUpsert.text(now.toInstant());
    List<Function<Change, String>> fields = new ArrayList<>();
    UnnestUpsert.IMAGE_COLUMNS.values().forEach(f -> fields.add(c -> f.apply((Change.Upsert) c)));
    fields.add(c -> ingestedAt);
    Savepoint savepoint = connection.setSavepoint();
    try {
      CopyText.copy(connection, DIRECT_COPY, inserts, fields);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(SqlFailure.of(e).sqlState())) throw e;
      connection.rollback(savepoint);
      return false;
    }
    connection.releaseSavepoint(savepoint);
    return true;
  }

  private static void merge(
      DSLContext dsl, Connection connection, List<Change> changes, OffsetDateTime now)
      throws SQLException {
    CopyText.copy(connection, STAGING_COPY, changes, new ArrayList<>(STAGED.values()));
    Table<?> s = STAGING_TABLE.as("s");
    List<Field<?>> targets = new ArrayList<>(STAGED_COLUMNS);
    List<Field<?>> selected = new ArrayList<>();
    for (Field<?> target : STAGED_COLUMNS)
      selected.add(DSL.field(DSL.name("s", target.getName()), target.getDataType()));
    targets.add(TRANSACTIONS.INGESTED_AT);
    selected.add(DSL.val(now));
    Field<String> key =
        DSL.field(DSL.name("s", TRANSACTIONS.TRANSACTION_ID.getName()), String.class);
    Condition isDelete = UnnestUpsert.excluded(TRANSACTIONS.DELETED_AT).isNotNull();
    dsl.insertInto(TRANSACTIONS)
        .columns(targets)
        // The ORDER BY is the lock order: INSERT … SELECT inserts or locks row by row as read.
        .select(DSL.select(selected).from(s).orderBy(key.collate(KeyOrder.COLLATION)))
        .onConflict(TRANSACTIONS.TRANSACTION_ID)
        .doUpdate()
        .set(updates(isDelete, now))
        .where(
            isDelete
                .not()
                .and(UnnestUpsert.imageIsNewer())
                .or(isDelete.and(UnnestUpsert.deleteApplies())))
        .execute();
  }

  /**
   * An image replaces every column but the key and revives a tombstone; a delete replaces where the
   * row's last change came from and sets deleted_at, keeping the data of the image it hides.
   */
  private static Map<Field<?>, Field<?>> updates(Condition isDelete, OffsetDateTime now) {
    Map<Field<?>, Field<?>> updates = new LinkedHashMap<>();
    for (Field<?> f : STAGED_COLUMNS) {
      if (f == TRANSACTIONS.TRANSACTION_ID) continue;
      boolean deleteWritesIt = DELETE_COLUMNS.containsKey(f) || f == TRANSACTIONS.DELETED_AT;
      updates.put(f, deleteWritesIt ? UnnestUpsert.excluded(f) : keptOnDelete(f, isDelete));
    }
    updates.put(TRANSACTIONS.INGESTED_AT, DSL.val(now));
    return updates;
  }

  private static <T> Field<T> keptOnDelete(Field<T> stored, Condition isDelete) {
    return DSL.when(isDelete, stored).otherwise(UnnestUpsert.excluded(stored));
  }
}
