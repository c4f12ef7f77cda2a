package dev.ddbwarehouse.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

class SingleConnectionIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private final TimeBudget budget = new TimeBudget();
  private final SingleConnection connections =
      new SingleConnection(
          DatabaseCredentials.fixed(
              new DatabaseSettings(
                  DB.jdbcUrl(),
                  TestWarehouse.WRITER_USER,
                  TestWarehouse.TEST_PASSWORD,
                  null,
                  null,
                  5)),
          budget);

  @Test
  void theWarmUpLeavesItsSessionIdleWithTheServerDefaults() throws Exception {
    String defaultTimeout;
    try (Connection fresh = DB.writerConnection()) {
      defaultTimeout = show(fresh, "statement_timeout");
    }

    connections.warmUp();
    try {
      Connection c = connections.get();
      assertThat(pgState(pid(c)))
          .as("rolled back: no transaction left open between warm-up and first batch")
          .isEqualTo("idle");
      assertThat(show(c, "statement_timeout")).isEqualTo(defaultTimeout);
      assertThat(show(c, "lock_timeout")).isEqualTo("0");
      c.rollback();
      assertThat(Thread.getAllStackTraces().keySet())
          .as("the watchdog's thread runs before the first transaction needs it")
          .anyMatch(t -> t.getName().equals("db-deadline") && t.isDaemon());
    } finally {
      connections.close();
    }
  }

  @Test
  void theFirstBudgetedTransactionAfterTheWarmUpRunsOnTheSameSession() throws Exception {
    connections.warmUp();
    try {
      long warmed = pid(connections.get());
      budget.begin(30_000);
      Connection c = connections.get();
      try (TransactionDeadline deadline = TransactionDeadline.start(c, budget)) {
        assertThat(pid(c)).isEqualTo(warmed);
        assertThat(Long.parseLong(show(c, "statement_timeout")))
            .as("the work deadline, server-side")
            .isBetween(25_000L, 27_000L);
        c.rollback();
      }
    } finally {
      connections.close();
    }
  }

  /** The backend's pid, known to the driver: no statement, so no transaction is begun. */
  private static long pid(Connection c) throws SQLException {
    return c.unwrap(PGConnection.class).getBackendPID();
  }

  /** A setting in its base unit (milliseconds for timeouts). */
  private static String show(Connection c, String setting) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
      s.setString(1, setting);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** The session's state as the server sees it (asked from another session). */
  private static String pgState(long pid) throws SQLException {
    try (Connection admin = DB.adminConnection();
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT state FROM pg_stat_activity WHERE pid = " + pid)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
