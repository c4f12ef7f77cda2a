package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One login to the user's PostgreSQL before anything starts, so that a wrong host, password or
 * database is one line (exit 3) naming which, not a migration stack trace after DynamoDB Local
 * started. Only the SQLSTATE of the driver's error is shown: its message can carry server text.
 */
final class DatabaseCheck {

  private DatabaseCheck() {}

  static void requireReachable(LocalWarehouse.Login login) {
    try (Connection ignored =
        DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password())) {
      // reachable, and the login is accepted
    } catch (SQLException e) {
      throw CliFailure.unreachable(explain(login, e), e);
    }
  }

  static String explain(LocalWarehouse.Login login, SQLException e) {
    String where = "PostgreSQL at " + JdbcUrl.masked(login.jdbcUrl());
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String code = " (SQLSTATE " + (state.isEmpty() ? "none" : state) + ")";
    if (state.startsWith("28")) {
      return where
          + " refused the login of user "
          + login.user()
          + code
          + ": check --db-user and the password (--db-password-file or PGPASSWORD)";
    }
    if (state.equals("3D000")) {
      return where + " has no such database" + code + ": create it or fix --jdbc-url";
    }
    if (state.startsWith("08")) {
      return "cannot reach " + where + code + ": is it running, and are host and port right?";
    }
    return "cannot log in to " + where + code + ": check --jdbc-url";
  }
}
