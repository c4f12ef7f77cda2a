package dev.ddbwarehouse.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * The invocation's {@link TimeBudget} applied to one transaction, from its first statement until
 * {@link #close()}:
 *
 * <ul>
 *   <li>server-side, {@code SET LOCAL statement_timeout} and {@code lock_timeout} end each
 *       statement at the work deadline at the latest (PostgreSQL cancels it: SQLSTATE 57014 or
 *       55P03);
 *   <li>as both count per statement, a watchdog sends a cancel request at the work deadline, for a
 *       transaction whose statements together outlast it (57014; the connection stays usable);
 *   <li>client-side, the socket read timeout ({@link Connection#setNetworkTimeout}) and, for writes
 *       into a server that stopped reading, aborting the connection at the hard stop (08006).
 * </ul>
 */
public final class TransactionDeadline implements AutoCloseable {

  /** Below this there is no point starting a transaction: report the batch for retry instead. */
  static final long MIN_WORK_MILLIS = 100;

  private static final Executor DIRECT = Runnable::run;

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private static final String SERVER_BUDGET =
      "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)";

  private final ScheduledFuture<?> cancel;
  private final ScheduledFuture<?> abort;

  private TransactionDeadline(ScheduledFuture<?> cancel, ScheduledFuture<?> abort) {
    this.cancel = cancel;
    this.abort = abort;
  }

  /** One daemon thread for every transaction of the environment, one after the other. */
  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor watchdog =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "db-deadline");
              t.setDaemon(true);
              return t;
            });
    // Every transaction cancels its two tasks; kept, they would pile up until their delay ends.
    watchdog.setRemoveOnCancelPolicy(true);
    return watchdog;
  }

  /**
   * Does a transaction's one-off work before the first batch needs it: starts the watchdog thread
   * and sends the server-side budget statement once (with no limits, rolled back), so that the
   * driver's statement and result classes are loaded. For a background warm-up on a connection that
   * no batch uses meanwhile (see {@link SingleConnection#warmUp()}).
   */
  static void warmUp(Connection connection) throws SQLException {
    WATCHDOG.prestartCoreThread();
    try {
      setServerBudget(connection, 0, null); // 0: no timeout, as outside any transaction's budget
    } finally {
      connection.rollback();
    }
  }

  /**
   * Statements a transaction starts with, sent in the same round trip as the budget's, after it: a
   * batch's first statements cost the database an idle round trip each, where it could be ingesting
   * rows. Each is still a statement of its own (its own snapshot under READ COMMITTED, taken after
   * the one before it has run).
   */
  public interface Opening {
    /** One or more statements without parameters, separated by {@code ;}. */
    String sql();

    /** Reads the results of {@link #sql()}; {@code s} is at its first statement's result. */
    void read(Statement s) throws SQLException;
  }

  /** Whether enough of the budget is left to start (another) transaction. */
  public static boolean canStart(TimeBudget budget) {
    return !budget.bounded() || budget.workMillisLeft() >= MIN_WORK_MILLIS;
  }

  /**
   * Starts the connection's transaction under the budget.
   *
   * @throws SQLTimeoutException (SQLSTATE 57014) when too little time is left to start
   */
  public static TransactionDeadline start(Connection connection, TimeBudget budget)
      throws SQLException {
    return start(connection, budget, null);
  }

  /**
   * Starts the connection's transaction under the budget, with {@code opening}'s statements (none
   * when null) after the budget's, in one round trip.
   *
   * @throws SQLTimeoutException (SQLSTATE 57014) when too little time is left to start
   */
  public static TransactionDeadline start(Connection connection, TimeBudget budget, Opening opening)
      throws SQLException {
    if (!budget.bounded()) {
      if (opening != null) {
        try (PreparedStatement s = connection.prepareStatement(opening.sql())) {
          s.execute();
          opening.read(s);
        }
      }
      return new TransactionDeadline(null, null);
    }
    long work = budget.workMillisLeft();
    if (!canStart(budget)) {
      throw new SQLTimeoutException(
          "the invocation's time budget is spent (" + work + " ms left)", "57014");
    }
    long hard = Math.max(work, budget.hardMillisLeft());
    ScheduledFuture<?> cancel =
        WATCHDOG.schedule(() -> cancelQuietly(connection), work, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> abort =
        WATCHDOG.schedule(() -> abortQuietly(connection), hard, TimeUnit.MILLISECONDS);
    connection.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, hard));
    try {
      setServerBudget(connection, work, opening);
    } catch (SQLException e) {
      cancel.cancel(false);
      abort.cancel(false);
      throw e;
    }
    return new TransactionDeadline(cancel, abort);
  }

  /**
   * statement_timeout and lock_timeout for the rest of the transaction (0: none), then {@code
   * opening}'s statements, which run under them.
   */
  private static void setServerBudget(Connection connection, long millis, Opening opening)
      throws SQLException {
    String sql = opening == null ? SERVER_BUDGET : SERVER_BUDGET + "; " + opening.sql();
    try (PreparedStatement set = connection.prepareStatement(sql)) {
      set.setString(1, Long.toString(millis));
      set.setString(2, Long.toString(millis));
      set.execute();
      if (opening == null) return;
      set.getMoreResults(); // past the budget's own result
      opening.read(set);
    }
  }

  private static void cancelQuietly(Connection connection) {
    // Its own thread: a cancel request opens a new connection, which a silent server never
    // answers; the abort must not wait behind it.
    Thread.ofVirtual()
        .name("db-cancel")
        .start(
            () -> {
              try {
                connection.unwrap(PGConnection.class).cancelQuery();
              } catch (SQLException ignored) {
                // The abort at the hard stop follows.
              }
            });
  }

  private static void abortQuietly(Connection connection) {
    try {
      // Closes the socket under a thread blocked reading or writing: it fails with 08006.
      connection.abort(DIRECT);
    } catch (SQLException ignored) {
      // Already closed: nothing is blocked on it.
    }
  }

  /** Ends the budget of this transaction (after commit or rollback). */
  @Override
  public void close() {
    if (cancel != null) cancel.cancel(false);
    if (abort != null) abort.cancel(false);
  }
}
