package dev.ddbwarehouse.sink.jooq;

import dev.ddbwarehouse.core.TransientFailureException;
import dev.ddbwarehouse.core.change.Change;
import dev.ddbwarehouse.core.pipeline.InsertLane;
import dev.ddbwarehouse.db.SingleConnection;
import dev.ddbwarehouse.db.TimeBudget;
import dev.ddbwarehouse.db.TransactionDeadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The INSERT lane while the batch is read ({@link InsertLane}): one transaction that takes the
 * erasure lock shared and brings the suppression copy up to date (as every batch does, before any
 * row), then one direct COPY into the batch's table whose rows go out as they are mapped, in
 * arrival order. Unsorted on purpose: the keys are fresh, so there is no stored row to lock; if two
 * writers insert the same new keys after all, the database reports a unique violation or a
 * deadlock, the lane ends, and the batch takes the guarded lane with its one global lock order.
 *
 * <p>Holds per batch only a set of 64-bit key hashes (a collision ends the lane: a wasted pass,
 * never a wrong row) and the chunk being encoded; each change is garbage once encoded.
 */
final class StreamedInserts implements InsertLane {

  private final Map<String, CopyUpsert> tables;
  private final Suppression suppression;
  private final SingleConnection connections;
  private final TimeBudget budget;
  private final OffsetDateTime now;
  private final Connection connection;
  private final TransactionDeadline deadline;
  private final KeyHashes keys = new KeyHashes();

  private CopyUpsert table;
  private CopyText.Rows<Change.Write> rows;
  private boolean ended;

  private StreamedInserts(
      Map<String, CopyUpsert> tables,
      Suppression suppression,
      SingleConnection connections,
      TimeBudget budget,
      OffsetDateTime now,
      Connection connection,
      TransactionDeadline deadline) {
    this.tables = tables;
    this.suppression = suppression;
    this.connections = connections;
    this.budget = budget;
    this.now = now;
    this.connection = connection;
    this.deadline = deadline;
  }

  /**
   * Null when the lane cannot start: no time left, or the database failed (the whole way then
   * retries).
   *
   * @throws TransientFailureException when the database failed and no time is left for that
   */
  static StreamedInserts open(
      Map<String, CopyUpsert> tables,
      Suppression suppression,
      SingleConnection connections,
      TimeBudget budget,
      OffsetDateTime now) {
    if (!TransactionDeadline.canStart(budget)) return null;
    Connection connection = null;
    TransactionDeadline deadline = null;
    try {
      connection = connections.get();
      deadline = TransactionDeadline.start(connection, budget);
      Suppression.lockShared(connection);
      suppression.catchUp(connection);
      return new StreamedInserts(
          tables, suppression, connections, budget, now, connection, deadline);
    } catch (SQLException | RuntimeException e) {
      rollback(connections, connection, e);
      if (deadline != null) deadline.close();
      noTimeLeftAfter(budget, e);
      return null;
    }
  }

  @Override
  public boolean add(Change.Upsert insert) {
    if (ended) return false;
    CopyUpsert target = tables.get(insert.table().name());
    if (table == null) {
      table = target;
    } else if (target != table) {
      return false; // a second table: the guarded lane orders tables
    }
    if (!insert.row().olderKeys().isEmpty()) return false; // a re-key deletes too
    if (!keys.add(hash(insert, table.table().keys.size()))) return false;
    if (suppression.mayBeErased(insert)) return false;
    try {
      if (rows == null) rows = table.openDirect(connection, now);
      rows.add(insert);
      return true;
    } catch (SQLException | RuntimeException e) {
      // The server refused a row already (a stored key, a bad value) or the connection broke:
      // either way the guarded lane finds out properly, if there is time for it.
      failed(e);
      return false;
    }
  }

  @Override
  public boolean commit() {
    if (ended) return false;
    try {
      if (rows != null) rows.finish();
      connection.commit();
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

  /** FNV-1a over the key's text forms (the first columns of a row), 64 bits. */
  private static long hash(Change.Upsert insert, int keyColumns) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < keyColumns; i++) {
      String part = insert.row().value(i);
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
