package dev.ddbwarehouse.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One database connection per execution environment, opened on first use and re-opened after a
 * failure. No pool: a Lambda environment runs one batch at a time, and a pool would only hold idle
 * connections that the database (or RDS Proxy) counts against its limit.
 */
public final class SingleConnection implements AutoCloseable {

  private final DatabaseCredentials credentials;
  private Connection connection;

  public SingleConnection(DatabaseCredentials credentials) {
    this.credentials = credentials;
  }

  /** The open connection, in manual-commit mode; opens one if there is none. */
  public synchronized Connection get() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = open();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private Connection open() throws SQLException {
    DatabaseSettings settings = credentials.current();
    try {
      return DriverManager.getConnection(settings.jdbcUrl(), settings.properties());
    } catch (SQLException e) {
      if (!authenticationFailed(e)) throw e;
      // The password was probably rotated since the secret was read: read it again, once.
      DatabaseSettings fresh = credentials.reload();
      return DriverManager.getConnection(fresh.jdbcUrl(), fresh.properties());
    }
  }

  /** SQLSTATE 28000 (invalid authorization) or 28P01 (invalid password). */
  private static boolean authenticationFailed(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("28");
  }

  /** Drops the connection after a failure that may have broken it; the next get() reconnects. */
  public synchronized void invalidate() {
    close();
  }

  @Override
  public synchronized void close() {
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
