package dev.ddbwarehouse.local.report;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A result set printed as an aligned plain-text table, psql style. */
public final class TextTable {

  private TextTable() {}

  public static String of(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[columns];
    for (int i = 0; i < columns; i++) {
      header[i] = meta.getColumnLabel(i + 1);
    }
    rows.add(header);
    while (rs.next()) {
      String[] row = new String[columns];
      for (int i = 0; i < columns; i++) {
        String value = rs.getString(i + 1);
        row[i] = value == null ? "" : value;
      }
      rows.add(row);
    }
    return render(rows);
  }

  static String render(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < columns; i++) {
        out.append(i == 0 ? " " : " | ").append(String.format("%-" + widths[i] + "s", row[i]));
      }
      out.append('\n');
      if (r == 0) {
        for (int i = 0; i < columns; i++) {
          out.append(i == 0 ? "-" : "-+-").append("-".repeat(widths[i]));
        }
        out.append("-\n");
      }
    }
    return out.toString();
  }
}
