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

  /**
   * What the second table is for: booked EUR spend per 5-year birth band and month, the two views
   * joined on the user's pseudonym within one key version (pseudonyms of different keys differ).
   */
  private static final String SPEND_PER_BIRTH_BAND =
      """
      SELECT p.birth_year_band, to_char(date_trunc('month', t.created_at), 'YYYY-MM') AS month,
             count(*) AS transactions, count(DISTINCT t.user_pseudonym) AS customers,
             sum(t.amount) AS amount_eur
      FROM bi.transactions t
      JOIN bi.user_profiles p
        ON p.user_pseudonym = t.user_pseudonym AND p.key_version = t.key_version
      WHERE t.status = 'BOOKED' AND t.currency = 'EUR'
      GROUP BY 1, 2
      ORDER BY 2 DESC, 1
      LIMIT 14
      """;

  private static final String CUSTOMERS_WITH_PROFILE =
      """
      SELECT count(DISTINCT t.user_pseudonym)
      FROM bi.transactions t
      JOIN bi.user_profiles p
        ON p.user_pseudonym = t.user_pseudonym AND p.key_version = t.key_version
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
    return liveRowsOf(connection, "bi.transactions", "transaction_id", transactionIds);
  }

  /**
   * Live rows of a bi view among the given keys. {@code view} and {@code keyColumn} are fixed names
   * from the caller's code, never input, so they are spliced in.
   */
  public static long liveRowsOf(
      Connection connection, String view, String keyColumn, Collection<String> keys)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*) FROM " + view + " WHERE " + keyColumn + " = ANY (?)")) {
      s.setArray(1, connection.createArrayOf("text", keys.toArray()));
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

  public static long liveProfiles(Connection reader) throws SQLException {
    return count(reader, "SELECT count(*) FROM bi.user_profiles");
  }

  public static long customers(Connection reader) throws SQLException {
    return count(reader, "SELECT count(DISTINCT user_pseudonym) FROM bi.transactions");
  }

  /** Customers of bi.transactions that have a row in bi.user_profiles. */
  public static long customersWithProfile(Connection reader) throws SQLException {
    return count(reader, CUSTOMERS_WITH_PROFILE);
  }

  public static String spendPerBirthBand(Connection reader) throws SQLException {
    return table(reader, SPEND_PER_BIRTH_BAND);
  }

  private static String table(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return TextTable.of(rs);
    }
  }
}
