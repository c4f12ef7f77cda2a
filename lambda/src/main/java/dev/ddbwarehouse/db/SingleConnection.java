package dev.ddbwarehouse.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One database connection per execution environment, opened on first use and re-opened after a
 * failure. No pool: a Lambda environment runs one batch at a time, and a pool would only hold idle
 * connections that the database (or RDS Proxy) counts against its limit.
 *
 * <p>Opening is bounded by the invocation's {@link TimeBudget} (and never takes longer than {@value
 * #MAX_LOGIN_MILLIS} ms): a server that accepts TCP and never answers must not hang the batch.
 */
public final class SingleConnection implements AutoCloseable {

  /** A login slower than this is broken, whatever time the invocation has left. */
  static final long MAX_LOGIN_MILLIS = 10_000;

  private final DatabaseCredentials credentials;
  private final TimeBudget budget;
  // A lock, not synchronized: the batch must stop waiting for a warm-up connect that hangs.
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  // Set, under the lock, once a batch has taken the connection: from then on the session is the
  // batch's, and a late warm-up must not run a statement or a rollback inside its transaction.
  private boolean handedOut;

  public SingleConnection(DatabaseCredentials credentials, TimeBudget budget) {
    this.credentials = credentials;
    this.budget = budget;
  }

  /** The open connection, in manual-commit mode; opens one if there is none. */
  public Connection get() throws SQLException {
    acquire();
    try {
      Connection c = openIfNeeded();
      handedOut = true;
      return c;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Opens the connection and does the first transaction's one-off work (see {@link
   * TransactionDeadline#warmUp}), holding the connection meanwhile: a batch that starts now waits
   * for it within its time budget, as for any connect, and never shares the session. Does nothing
   * once a batch has taken the connection (the warm-up thread can start late): its rollback would
   * end that batch's transaction under it.
   */
  public void warmUp() throws SQLException {
    acquire();
    try {
      if (handedOut) return;
      TransactionDeadline.warmUp(openIfNeeded());
    } catch (SQLException e) {
      closeConnection(); // whatever broke here, the first batch gets a fresh session
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private Connection openIfNeeded() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = open();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void acquire() throws SQLException {
    try {
      if (!lock.tryLock(loginMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLTimeoutException(
            "connecting did not finish within the invocation's time budget", "08001");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the connection", "08001", e);
    }
  }

  private Connection open() throws SQLException {
    DatabaseSettings settings = credentials.current();
    try {
      return DriverManager.getConnection(settings.jdbcUrl(), bounded(settings.properties()));
    } catch (SQLException e) {
      if (!authenticationFailed(e)) throw e;
      // The password was probably rotated since the secret was read: read it again, once.
      DatabaseSettings fresh = credentials.reload();
      return DriverManager.getConnection(fresh.jdbcUrl(), bounded(fresh.properties()));
    }
  }

  /**
   * pgjdbc's loginTimeout (fractional seconds) bounds TCP connect, TLS and authentication together;
   * connectTimeout and socketTimeout (whole seconds) also end the driver's own connect thread, and
   * cancelSignalTimeout bounds a cancel request (see TransactionDeadline).
   */
  private Properties bounded(Properties p) throws SQLException {
    long millis = loginMillis();
    if (millis <= 0) {
      throw new SQLTimeoutException("no time left in the invocation to connect", "08001");
    }
    String seconds = Long.toString(Math.ceilDiv(millis, 1000));
    p.setProperty("loginTimeout", String.format(Locale.ROOT, "%.3f", millis / 1000.0));
    p.setProperty("connectTimeout", seconds);
    p.setProperty("socketTimeout", seconds);
    p.setProperty("cancelSignalTimeout", seconds);
    return p;
  }

  private long loginMillis() {
    return Math.min(budget.hardMillisLeft(), MAX_LOGIN_MILLIS);
  }

  /** SQLSTATE 28000 (invalid authorization) or 28P01 (invalid password). */
  private static boolean authenticationFailed(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("28");
  }

  /** Drops the connection after a failure that may have broken it; the next get() reconnects. */
  public void invalidate() {
    // Held by another thread means that thread is connecting: there is nothing broken to drop.
    if (!lock.tryLock()) return;
    try {
      closeConnection();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closeConnection();
    } finally {
      lock.unlock();
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing a broken connection fails by nature; the next get() opens a fresh one.
      }
      connection = null;
    }
  }
}
