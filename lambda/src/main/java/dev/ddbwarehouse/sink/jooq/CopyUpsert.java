package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.value.TextForm;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SortField;
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
 *       never seen their ids) is COPYed straight into the target table: with no stored row there is
 *       nothing to guard against, so a plain insert is exactly what the upsert would do, at the
 *       price of the COPY alone;
 *   <li>any other batch (MODIFY images, deletes, a mix) is COPYed into a session-local staging
 *       table, then merged by one jOOQ {@code INSERT … SELECT … ORDER BY key ON CONFLICT DO UPDATE}
 *       whose SET and WHERE follow each row's kind: an image replaces a row it is newer than, a
 *       delete soft-deletes a row it is later than (see {@link VersionGuard}).
 * </ul>
 *
 * Images and deletes as two statements, each sorted, would not do: a batch that locks keys 1 and 3
 * for its images and then 2 for its delete can meet one that holds 2 and waits for 1. An INSERT
 * whose key is stored after all (a replayed batch, a backfilled item the live stream already wrote,
 * a tombstone, or another writer inserting it concurrently) fails the direct COPY on the primary
 * key; it is rolled back to a savepoint and the batch takes the staged lane. A replay fails on its
 * first row, so the wasted work is small where it is common. Correctness never depends on the lane:
 * the staged lane is right for every change.
 */
final class CopyUpsert {

  private static final String INSERT = EventKind.INSERT.name();

  private final BoundTable t;
  private final List<String> olderKeyVersions;

  /** The staged columns: every row column, the bookkeeping the changes carry, deleted_at. */
  private final List<Field<?>> staged;

  private final String stagingCopy;
  private final String directCopy;
  private final String directIntoStaging;
  private final String stagingCreate;

  /**
   * {@code olderKeyVersions}: the ring's versions but the active one (see {@link VersionGuard}).
   */
  CopyUpsert(BoundTable t, List<String> olderKeyVersions) {
    this.t = t;
    this.olderKeyVersions = List.copyOf(olderKeyVersions);
    List<Field<?>> s = new ArrayList<>(t.columns);
    s.addAll(List.of(t.keyVersion, t.sourceVersion, t.sourceStream, t.sourceSequence));
    List<Field<?>> direct = new ArrayList<>(s);
    direct.add(t.ingestedAt);
    s.add(t.deletedAt);
    this.staged = List.copyOf(s);
    String target = t.spec.target().schema() + "." + t.spec.target().name();
    this.stagingCopy = "COPY " + t.staging + " (" + BoundTable.names(staged) + ") FROM STDIN";
    this.directCopy = "COPY " + target + " (" + BoundTable.names(direct) + ") FROM STDIN";
    this.directIntoStaging = "COPY " + t.staging + " (" + BoundTable.names(direct) + ") FROM STDIN";
    // CREATE … AS … WITH NO DATA copies the column types (so COPY parses each value as its real
    // type) but not the NOT NULL constraints of columns the staging rows leave empty. ingested_at
    // only so a direct COPY's rows can be staged as they were encoded; the merge sets its own.
    List<Field<?>> stagingColumns = new ArrayList<>(staged);
    stagingColumns.add(t.ingestedAt);
    this.stagingCreate =
        "CREATE TEMPORARY TABLE IF NOT EXISTS "
            + t.staging
            + " ON COMMIT DELETE ROWS AS SELECT "
            + BoundTable.names(stagingColumns)
            + " FROM "
            + target
            + " WITH NO DATA";
  }

  BoundTable table() {
    return t;
  }

  /** The staged row of a change: an image's columns, or a delete's key and where it came from. */
  private List<Function<Change.Write, String>> stagedText() {
    int n = t.columns.size();
    int keys = t.keys.size();
    List<Function<Change.Write, String>> f = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int column = i;
      f.add(
          c ->
              c instanceof Change.Upsert u
                  ? u.row().value(column)
                  : column < keys ? TextForm.of(c.key().parts().get(column)) : null);
    }
    f.add(c -> c instanceof Change.Upsert u ? u.row().keyVersion() : null);
    f.add(c -> TextForm.instant(c.version()));
    f.add(c -> c.meta().eventSourceArn());
    // The record's own digits (ChangeMapper checked them): the same numeric value, no formatting.
    f.add(c -> c.meta().sequenceNumber());
    return f;
  }

  /**
   * The session's staging table, created the first time a batch needs the staged lane and inside
   * that batch's transaction (so a batch of INSERTs never creates it: behind RDS Proxy a temporary
   * table pins the session). A rolled-back batch takes a table it created with it; the next one
   * creates it again.
   */
  static final class Staging {
    private final Set<String> ready = new HashSet<>();
    private final Set<String> pending = new HashSet<>();
    private Connection connection;

    void ensure(Connection c, CopyUpsert table) throws SQLException {
      if (c != connection) {
        ready.clear();
        pending.clear();
        connection = c;
      }
      if (ready.contains(table.t.staging) || !pending.add(table.t.staging)) return;
      try (Statement s = c.createStatement()) {
        s.execute(table.stagingCreate);
      }
    }

    void committed() {
      ready.addAll(pending);
      pending.clear();
    }

    void rolledBack() {
      pending.clear();
    }
  }

  /**
   * {@code changes}: upserts and deletes of this table, at most one per key, in {@link KeyOrder}.
   */
  void write(
      DSLContext dsl,
      Connection connection,
      Staging staging,
      List<Change.Write> changes,
      OffsetDateTime now)
      throws SQLException {
    if (onlyInserts(changes) && insertFresh(connection, changes, now)) return;
    staging.ensure(connection, this);
    CopyText.copy(connection, stagingCopy, changes, stagedWithDelete());
    merge(dsl, now).execute();
  }

  private List<Function<Change.Write, String>> stagedWithDelete() {
    List<Function<Change.Write, String>> f = stagedText();
    f.add(c -> c instanceof Change.Delete d ? d.deletedAt().toString() : null);
    return f;
  }

  private static boolean onlyInserts(List<Change.Write> changes) {
    for (Change.Write c : changes) {
      if (!(c instanceof Change.Upsert u && INSERT.equals(u.meta().eventName()))) return false;
    }
    return true;
  }

  /** The rows of a direct COPY: a staged row without deleted_at, then ingested_at. */
  List<Function<Change.Write, String>> directFields(OffsetDateTime now) {
    String ingestedAt = TextForm.instant(now.toInstant());
    List<Function<Change.Write, String>> fields = stagedText();
    fields.add(c -> ingestedAt);
    return fields;
  }

  /**
   * Starts a direct COPY of INSERT images into the table, rows sent as they are added (see {@link
   * StreamedInserts}); the caller's transaction decides what stays of it.
   */
  CopyText.Rows<Change.Write> openDirect(Connection connection, OffsetDateTime now)
      throws SQLException {
    return CopyText.openKept(connection, directCopy, directFields(now));
  }

  /**
   * Stages the rows of a direct COPY that did not go in (a stored key), as they were encoded: for
   * {@link #merge}, without mapping the batch again. {@link Staging#ensure} must have run.
   */
  void stageDirectRows(Connection connection, List<byte[]> encoded) throws SQLException {
    CopyText.copyEncoded(connection, directIntoStaging, encoded);
  }

  /**
   * Starts a COPY into the session's staging table (which {@link Staging#ensure} must have
   * created), rows sent as they are added; {@link #merge} then writes them under their guards.
   */
  CopyText.Rows<Change.Write> openStaged(Connection connection) throws SQLException {
    return CopyText.open(connection, stagingCopy, stagedWithDelete());
  }

  /** False when one of the keys is stored already: then nothing of the COPY remains. */
  private boolean insertFresh(Connection connection, List<Change.Write> inserts, OffsetDateTime now)
      throws SQLException {
    Savepoint savepoint = connection.setSavepoint();
    try {
      CopyText.copy(connection, directCopy, inserts, directFields(now));
    } catch (SQLException e) {
      if (!SqlFailure.of(e).storedKey()) throw e;
      connection.rollback(savepoint);
      return false;
    }
    connection.releaseSavepoint(savepoint);
    return true;
  }

  /** The staged rows merged into the table, locking in key order, each under its guard. */
  Query merge(DSLContext dsl, OffsetDateTime now) {
    Table<?> s = DSL.table(DSL.name(t.staging)).as("s");
    List<Field<?>> targets = new ArrayList<>(staged);
    List<Field<?>> selected = new ArrayList<>();
    for (Field<?> target : staged) selected.add(stagedField(target));
    targets.add(t.ingestedAt);
    selected.add(DSL.val(now));
    List<SortField<?>> order = new ArrayList<>();
    for (Field<?> key : t.keys) order.add(KeyOrder.sort(stagedField(key)));
    Condition isDelete = VersionGuard.excluded(t.deletedAt).isNotNull();
    return dsl.insertInto(t.table)
        .columns(targets)
        // The ORDER BY is the lock order: INSERT … SELECT inserts or locks row by row as read.
        .select(DSL.select(selected).from(s).orderBy(order))
        .onConflict(t.keys)
        .doUpdate()
        .set(updates(isDelete, now))
        .where(
            isDelete
                .not()
                .and(VersionGuard.imageIsNewer(t, olderKeyVersions))
                .or(isDelete.and(VersionGuard.deleteApplies(t))));
  }

  private static Field<?> stagedField(Field<?> target) {
    return DSL.field(DSL.name("s", target.getName()), target.getDataType());
  }

  /**
   * An image replaces every column but the key and revives a tombstone; a delete replaces where the
   * row's last change came from and sets deleted_at, keeping the data of the image it hides.
   */
  private Map<Field<?>, Field<?>> updates(Condition isDelete, OffsetDateTime now) {
    Set<Field<?>> deleteWrites =
        Set.of(t.sourceVersion, t.sourceStream, t.sourceSequence, t.deletedAt);
    Map<Field<?>, Field<?>> updates = new LinkedHashMap<>();
    for (Field<?> f : staged) {
      if (t.keys.contains(f)) continue;
      updates.put(
          f, deleteWrites.contains(f) ? VersionGuard.excluded(f) : keptOnDelete(f, isDelete));
    }
    updates.put(t.ingestedAt, DSL.val(now));
    return updates;
  }

  private static <T> Field<T> keptOnDelete(Field<T> stored, Condition isDelete) {
    return DSL.when(isDelete, stored).otherwise(VersionGuard.excluded(stored));
  }
}
