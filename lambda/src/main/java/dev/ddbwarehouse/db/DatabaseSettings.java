package dev.ddbwarehouse.db;

import java.util.Properties;

/**
 * How to reach the warehouse. The password never shows in {@code toString}.
 *
 * @param sslMode pgjdbc sslmode (disable, require, verify-ca, verify-full), or null for the
 *     driver's default
 * @param sslRootCert path or classpath-resolved file of the CA bundle for verify-*, or null
 * @param prepareThreshold pgjdbc prepareThreshold; 0 behind RDS Proxy / PgBouncer in transaction
 *     mode, where server-side prepared statements do not survive
 */
public record DatabaseSettings(
    String jdbcUrl,
    String user,
    String password,
    String sslMode,
    String sslRootCert,
    int prepareThreshold) {

  Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) p.setProperty("password", password);
    if (sslMode != null) p.setProperty("sslmode", sslMode);
    if (sslRootCert != null) p.setProperty("sslrootcert", sslRootCert);
    p.setProperty("prepareThreshold", Integer.toString(prepareThreshold));
    p.setProperty("ApplicationName", "ddb-warehouse-etl");
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password=<redacted>, sslMode="
        + sslMode
        + ", prepareThreshold="
        + prepareThreshold
        + "]";
  }
}
