package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.schema.WarehouseMigrations;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The PostgreSQL a tool was pointed at, checked before any work: the URL is a PostgreSQL one (exit
 * 2 otherwise) and the login succeeds (exit 3 otherwise, with what to fix). Without the check, an
 * unreachable database would surface only as a batch reported for retry, or as a stack trace.
 */
record DatabaseLogin(String jdbcUrl, String user, String password) {

  private static final String EXPECTED = "jdbc:postgresql://HOST:PORT/DATABASE";

  /**
   * From the flags: {@code --jdbc-url} (required here), {@code --db-user}, {@code --db-password}.
   */
  static DatabaseLogin of(DatabaseOptions options) {
    String url =
        options
            .jdbcUrl()
            .orElseThrow(() -> CliFailure.usage("--jdbc-url is required (" + EXPECTED + ")"));
    if (!url.startsWith("jdbc:postgresql:")) {
      throw CliFailure.usage(
          "--jdbc-url must be a PostgreSQL JDBC URL (" + EXPECTED + "), not " + scheme(url));
    }
    if (Driver.parseURL(url, new Properties()) == null) {
      throw CliFailure.usage(
          "--jdbc-url "
              + JdbcUrl.masked(url)
              + " is not a valid PostgreSQL JDBC URL (expected "
              + EXPECTED
              + ")");
    }
    try {
      return new DatabaseLogin(url, options.user(), options.password());
    } catch (IllegalArgumentException e) {
      throw CliFailure.usage(e.getMessage());
    }
  }

  /** Logs in once and out again; a refused or failed login is exit 3 with the reason. */
  void check() {
    try (Connection ignored = DriverManager.getConnection(jdbcUrl, user, password)) {
      // Logging in is the whole check.
    } catch (SQLException e) {
      throw CliFailure.unreachable(loginFailure(e), e);
    }
  }

  /**
   * A connection for the tool's work (the caller closes it); a failed login is exit 3, as check.
   */
  Connection connect() {
    try {
      return DriverManager.getConnection(jdbcUrl, user, password);
    } catch (SQLException e) {
      throw CliFailure.unreachable(loginFailure(e), e);
    }
  }

  /** {@code --migrate}: applies the Flyway migrations; returns how many were applied now. */
  int migrate() {
    try {
      return WarehouseMigrations.migrate(jdbcUrl, user, password);
    } catch (RuntimeException e) {
      throw migrationFailure(e, user);
    }
  }

  /** A migration that failed, as one line: a database refusal is exit 3, anything else exit 2. */
  static CliFailure migrationFailure(RuntimeException e, String user) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String hint =
            "42501".equals(sql.getSQLState())
                ? ": migrating needs the database owner or an administrator"
                : "; run with --verbose for Flyway's report";
        return new CliFailure(
            ExitCode.UNREACHABLE,
            "the migrations failed as user \""
                + user
                + "\" (SQLSTATE "
                + sql.getSQLState()
                + ")"
                + hint,
            e);
      }
    }
    return new CliFailure(
        ExitCode.USAGE,
        "the migrations did not apply: "
            + JdbcUrl.masked(firstLine(e.getMessage()))
            + " (run with --verbose for Flyway's report)",
        e);
  }

  String maskedUrl() {
    return JdbcUrl.masked(jdbcUrl);
  }

  private String loginFailure(SQLException e) {
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    String where = "PostgreSQL at " + maskedUrl();
    if (state.startsWith("28")) {
      return where
          + " refused the login of user \""
          + user
          + "\" (SQLSTATE "
          + state
          + "): check --db-user and --db-password (or PGPASSWORD)";
    }
    if (state.equals("3D000")) {
      return "database \""
          + PGProperty.PG_DBNAME.getOrDefault(Driver.parseURL(jdbcUrl, new Properties()))
          + "\" does not exist on "
          + where
          + " (SQLSTATE 3D000): check the database name in --jdbc-url";
    }
    if (state.startsWith("08")) {
      return "cannot reach "
          + where
          + network(e)
          + " (SQLSTATE "
          + state
          + "): is it running, and are host and port in --jdbc-url right?";
    }
    return "could not log in to " + where + " (SQLSTATE " + state + ")";
  }

  /** The network reason, named by us: the JDK's own messages vary by platform. */
  private static String network(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) return ": connection refused";
      if (t instanceof UnknownHostException) return ": unknown host";
      if (t instanceof SocketTimeoutException) return ": timed out";
    }
    return "";
  }

  /** The URL's scheme ({@code jdbc:mysql}), to name what was given without quoting the rest. */
  private static String scheme(String url) {
    String[] parts = url.split(":", 3);
    return JdbcUrl.masked(parts.length >= 2 ? parts[0] + ":" + parts[1] : url);
  }

  private static String firstLine(String message) {
    if (message == null) return "no reason given";
    String line = message.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "no reason given" : line;
  }

  @Override
  public String toString() {
    return "DatabaseLogin[" + maskedUrl() + " as " + user + "]";
  }
}
