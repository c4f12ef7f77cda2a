package dev.ddbwarehouse.backfill.verify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where verify and teardown read the warehouse. They only read: a member of etl_writer (SELECT on
 * the warehouse tables and etl.quarantine) or an administrator will do.
 */
public record WarehouseDatabase(String jdbcUrl, String user, String password) {

  public WarehouseDatabase {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--jdbc-url must be a jdbc:postgresql: URL");
    }
  }

  public Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, user, password);
    c.setReadOnly(true);
    return c;
  }

  @Override
  public String toString() {
    return "WarehouseDatabase[" + jdbcUrl + " as " + user + "]";
  }
}
