package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.pipeline.StreamedLane;
import dev.ddbwarehouse.core.value.TextForm;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.db.TransactionDeadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A batch's lane while it is read ({@link StreamedLane}): one transaction that takes the erasure
 * lock shared and brings the suppression copy up to date (as every batch does, before any row),
 * then one COPY into the batch's table whose rows go out as they are mapped, in arrival order:
 *
 * <ul>
 *   <li>a batch that starts with an INSERT is COPYed straight into the table, as {@link
 *       CopyUpsert}'s direct lane does; unsorted on purpose: the keys are fresh, so there is no
 *       stored row to lock. When a key is stored after all (a replay, a backfilled item the live
 *       stream wrote first) or two writers insert the same new keys (a unique violation or a
 *       deadlock), the transaction is rolled back, a new one takes the same lock and checks, and
 *       the rows the COPY was sent, kept as encoded, are staged; the batch goes on as a staged one:
 *       the merge's ORDER BY is the one global lock order, and nothing is read or mapped twice. A
 *       later change of another kind ends the direct COPY the same way. (Not a savepoint: its round
 *       trip on every batch cost more than the rare new transaction.) If an erasure committed in
 *       between, the kept rows were not checked against it: the lane ends and the batch goes the
 *       whole way;
 *   <li>any other batch is COPYed into the session's staging table, and at commit merged by the
 *       same version-guarded statement as the guarded lane, whose ORDER BY is the lock order: the
 *       staging rows need none.
 * </ul>
 *
 * <p>Holds per batch only a set of 64-bit key hashes (a key twice ends the lane, as does a hash
 * collision: a wasted pass, never a wrong row) and the chunk being encoded; each change is garbage
 * once encoded.
 */
final class StreamedWrites implements StreamedLane {

  private static final String INSERT = EventKind.INSERT.name();

  private final Map<String, CopyUpsert> tables;
  private final Suppression suppression;
  private final SingleConnection connections;
  private final CopyUpsert.Staging staging;
  private final TimeBudget budget;
  private final OffsetDateTime now;
  private final Connection connection;
  private TransactionDeadline deadline;
  private final KeyHashes keys = new KeyHashes();

  private CopyUpsert table;
  private boolean direct;
  private CopyText.Rows<Change.Write> rows;
  private boolean ended;

  private StreamedWrites(
      Map<String, CopyUpsert> tables,
      Suppression suppression,
      SingleConnection connections,
      CopyUpsert.Staging staging,
      TimeBudget budget,
      OffsetDateTime now,
      Connection connection) {
    this.tables = tables;
    this.suppression = suppression;
    this.connections = connections;
    this.staging = staging;
    this.budget = budget;
    this.now = now;
    this.connection = connection;
  }

  /**
   * Null when the lane cannot start: no time left, or the database failed (the whole way then
   * retries).
   *
   * @throws TransientFailureException when the database failed and no time is left for that
   */
  static StreamedWrites open(
      Map<String, CopyUpsert> tables,
      Suppression suppression,
      SingleConnection connections,
      CopyUpsert.Staging staging,
      TimeBudget budget,
      OffsetDateTime now) {
    if (!TransactionDeadline.canStart(budget)) return null;
    Connection connection = null;
    StreamedWrites lane = null;
    try {
      connection = connections.get();
      lane = new StreamedWrites(tables, suppression, connections, staging, budget, now, connection);
      lane.begin();
      return lane;
    } catch (SQLException | RuntimeException e) {
      rollback(connections, connection, e);
      if (lane != null && lane.deadline != null) lane.deadline.close();
      noTimeLeftAfter(budget, e);
      return null;
    }
  }

  @Override
  public boolean add(Change.Write change) {
    if (ended) return false;
    boolean insert = change instanceof Change.Upsert u && INSERT.equals(u.meta().eventName());
    CopyUpsert target = tables.get(change.table().name());
    if (table == null) {
      table = target;
      direct = insert;
    } else if (target != table) {
      return false; // a second table: the guarded lane orders tables
    }
    if (!keys.add(hash(change, table.table().keys.size()))) return false;
    if (change instanceof Change.Upsert u && !u.row().olderKeys().isEmpty()) return false;
    if (suppression.mayBeErased(change)) return false;
    try {
      if (direct && !insert && !toStaged(null)) return false;
      if (rows == null) rows = direct ? openDirect() : openStaged();
      orStaged(() -> rows.add(change));
      return true;
    } catch (SQLException | RuntimeException e) {
      // A bad value, a broken connection, a failed fallback: the guarded lane finds out properly,
      // if there is time for it.
      failed(e);
      return false;
    }
  }

  /** One step of the COPY; {@link #rows} is read when it runs, so a retry uses the staged COPY. */
  private interface CopyStep {
    void run() throws SQLException;
  }

  /** Runs {@code step}; when the direct COPY fails in a way the merge resolves, staged again. */
  private void orStaged(CopyStep step) throws SQLException {
    try {
      step.run();
    } catch (SQLException e) {
      if (!direct || !toStaged(e)) throw e;
      step.run();
    }
  }

  private CopyText.Rows<Change.Write> openDirect() throws SQLException {
    return table.openDirect(connection, now);
  }

  private CopyText.Rows<Change.Write> openStaged() throws SQLException {
    staging.ensure(connection, table);
    return table.openStaged(connection);
  }

  /**
   * Ends the direct COPY: its transaction rolled back, a new one opened as the first was, the rows
   * staged as they were encoded, and a staged COPY open for the rest. {@code failure}: why the COPY
   * ended, null when it was not sent yet in full (a change of another kind comes).
   *
   * @return false when the lane cannot go on staged: the failure is not one the merge resolves, no
   *     time is left for a new transaction, or an erasure committed in between
   */
  private boolean toStaged(SQLException failure) throws SQLException {
    if (failure != null && !resolvedByMerge(failure)) return false;
    List<byte[]> encoded = rows.encoded();
    rows.cancelIfActive();
    rows = null;
    connection.rollback();
    staging.rolledBack();
    if (!TransactionDeadline.canStart(budget)) return false;
    deadline.close();
    if (begin()) return false;
    direct = false;
    staging.ensure(connection, table);
    table.stageDirectRows(connection, encoded);
    rows = table.openStaged(connection);
    return true;
  }

  /**
   * Opens the lane's transaction as every batch's is opened (see Suppression.Start) and brings the
   * erasure list up to date; true when an erasure committed since the list was last read.
   */
  private boolean begin() throws SQLException {
    Suppression.Start start = new Suppression.Start();
    deadline = TransactionDeadline.start(connection, budget, start);
    return suppression.catchUp(connection, start);
  }

  /** A stored key or a lost race with another writer: what the version-guarded merge is for. */
  private static boolean resolvedByMerge(SQLException e) {
    SqlFailure failure = SqlFailure.of(e);
    return failure.storedKey() || failure.conflicted();
  }

  @Override
  public boolean commit() {
    if (ended) return false;
    try {
      if (rows != null) orStaged(() -> rows.finish());
      if (rows != null && !direct) {
        table.merge(JooqWarehouseSink.dsl(connection), now).execute();
      }
      connection.commit();
      staging.committed();
      end();
      return true;
    } catch (SQLException | RuntimeException e) {
      failed(e);
      return false;
    }
  }

  /**
   * Ends the lane after a failure. When the invocation's time budget leaves no room for the whole
   * way, the batch is reported for retry now, with this failure as the reason (a cancelled
   * statement, a stalled server) rather than the budget the lane used up.
   *
   * @throws TransientFailureException then
   */
  private void failed(Exception e) {
    if (SqlFailure.of(e).brokeConnection()) connections.invalidate();
    abandon();
    noTimeLeftAfter(budget, e);
  }

  private static void noTimeLeftAfter(TimeBudget budget, Exception e) {
    if (TransactionDeadline.canStart(budget)) return;
    SqlFailure failure = SqlFailure.of(e);
    throw new TransientFailureException(
        JooqWarehouseSink.describe(
            budget, failure, "warehouse write not committed (SQLSTATE " + failure.sqlState() + ")"),
        e);
  }

  @Override
  public void abandon() {
    if (ended) return;
    try {
      if (rows != null) rows.cancelIfActive();
    } catch (SQLException | RuntimeException e) {
      // The rollback below decides; a failed cancel usually means a broken connection.
    }
    rollback(connections, connection, null);
    staging.rolledBack();
    end();
  }

  private void end() {
    ended = true;
    deadline.close();
  }

  private static void rollback(SingleConnection connections, Connection connection, Exception e) {
    if (e != null && SqlFailure.of(e).brokeConnection()) connections.invalidate();
    if (connection == null) return;
    try {
      connection.rollback();
    } catch (SQLException failed) {
      connections.invalidate();
    }
  }

  /** FNV-1a over the key's text forms, 64 bits: the same for an image and a delete of a key. */
  private static long hash(Change.Write change, int keyColumns) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < keyColumns; i++) {
      String part =
          change instanceof Change.Upsert u
              ? u.row().value(i)
              : TextForm.of(change.key().parts().get(i));
      if (part == null) continue;
      for (int j = 0; j < part.length(); j++) {
        h = (h ^ part.charAt(j)) * 0x100000001b3L;
      }
      h = (h ^ 0x1f) * 0x100000001b3L; // a separator, so ("ab","c") and ("a","bc") differ
    }
    return h;
  }

  /** An open-addressing set of longs; no boxing, one array. */
  static final class KeyHashes {
    private long[] slots = new long[1024];
    private int size;
    private boolean hasZero;

    /** False when {@code value} is in the set already. */
    boolean add(long value) {
      if (value == 0) {
        if (hasZero) return false;
        hasZero = true;
        return true;
      }
      if (2 * (size + 1) > slots.length) grow();
      if (!insert(slots, value)) return false;
      size++;
      return true;
    }

    private static boolean insert(long[] table, long value) {
      int mask = table.length - 1;
      int i = (int) (value ^ (value >>> 32)) * 0x9E3779B9 & mask;
      while (table[i] != 0) {
        if (table[i] == value) return false;
        i = (i + 1) & mask;
      }
      table[i] = value;
      return true;
    }

    private void grow() {
      long[] bigger = new long[slots.length * 2];
      for (long v : slots) if (v != 0) insert(bigger, v);
      slots = bigger;
    }
  }
}
