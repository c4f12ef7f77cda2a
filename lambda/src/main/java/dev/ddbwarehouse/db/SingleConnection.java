package dev.ddbwarehouse.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One database connection per execution environment, opened on first use and re-opened after a
 * failure. No pool: a Lambda environment runs one batch at a time, and a pool would only hold
 * idle connections that the database (or RDS Proxy) counts against its limit.
 */
public final class SingleConnection implements AutoCloseable {

  private final DatabaseSettings settings;
  private Connection connection;

  public SingleConnection(DatabaseSettings settings) {
    this.settings = settings;
  }

  /** The open connection, in manual-commit mode; opens one if there is none. */
  public synchronized Connection get() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(settings.jdbcUrl(), settings.properties());
      connection.setAutoCommit(false);
    }
    return connection;
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
