package dev.ddbwarehouse.testing;

import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query results as the admin sees them: one list of column texts per row ("null" for NULL). */
public final class WarehouseRows {

  private WarehouseRows() {}

  public static List<List<String>> query(TestWarehouse db, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) row.add(String.valueOf(rs.getString(i)));
        out.add(row);
      }
    }
    return out;
  }
}
