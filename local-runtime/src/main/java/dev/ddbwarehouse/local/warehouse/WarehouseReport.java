package dev.ddbwarehouse.local.warehouse;

import dev.ddbwarehouse.local.report.TextTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an analyst would see: run through a bi_reader login, so it also proves the grants work. */
public final class WarehouseReport {

  private static final String SAMPLE_ROWS =
      """
      SELECT transaction_id, left(user_pseudonym, 16) || '…' AS user_pseudonym, ip_network, amount,
             currency, type, status, merchant_name, created_at
      FROM bi.transactions
      ORDER BY created_at DESC, transaction_id
      LIMIT 5
      """;

  /** Monthly booked card and transfer volume per currency: the kind of query a dashboard runs. */
  private static final String MONTHLY_VOLUME =
      """
      SELECT to_char(date_trunc('month', created_at), 'YYYY-MM') AS month, currency,
             count(*) AS transactions, count(DISTINCT user_pseudonym) AS customers,
             sum(amount) AS volume, round(avg(amount), 2) AS average
      FROM bi.transactions
      WHERE status = 'BOOKED'
      GROUP BY 1, 2
      ORDER BY 1 DESC, transactions DESC
      LIMIT 8
      """;

  private WarehouseReport() {}

  public static long count(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static long liveRows(Connection connection) throws SQLException {
    return count(connection, "SELECT count(*) FROM bi.transactions");
  }

  /**
   * Live rows among {@code transactionIds}: what one run put there, whatever else the table holds.
   */
  public static long liveRowsOf(Connection connection, Collection<String> transactionIds)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*) FROM bi.transactions WHERE transaction_id = ANY (?)")) {
      s.setArray(1, connection.createArrayOf("text", transactionIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Records quarantined from {@code since} on: one run's, in a database other runs used too. */
  public static long quarantineRowsSince(Connection admin, Instant since) throws SQLException {
    try (PreparedStatement s =
        admin.prepareStatement("SELECT count(*) FROM etl.quarantine WHERE quarantined_at >= ?")) {
      s.setObject(1, since.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public static Map<String, Long> quarantineByCode(Connection admin) throws SQLException {
    Map<String, Long> byCode = new LinkedHashMap<>();
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT error_code, count(*) FROM etl.quarantine GROUP BY 1 ORDER BY 2 DESC, 1")) {
      while (rs.next()) {
        byCode.put(rs.getString(1), rs.getLong(2));
      }
    }
    return byCode;
  }

  public static String sampleRows(Connection reader) throws SQLException {
    return table(reader, SAMPLE_ROWS);
  }

  public static String monthlyVolume(Connection reader) throws SQLException {
    return table(reader, MONTHLY_VOLUME);
  }

  private static String table(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return TextTable.of(rs);
    }
  }
}
