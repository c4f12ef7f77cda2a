package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.local.warehouse.JdbcUrls;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.PrintStream;

/**
 * What {@code --serve} tells the user about logging in: the BI reader's login and the writer's,
 * separately. Passwords this run generated are the user's own demo logins and are printed; a
 * password the user passed in (an external database's writer login) never is.
 */
record ServeLogins(
    LocalWarehouse.Login writer, LocalWarehouse.Login reader, boolean generatedWriter) {

  private static final String PSQL_EXAMPLE = "SELECT * FROM bi.transactions LIMIT 10";

  void print(PrintStream out) {
    String base = JdbcUrls.withoutCredentials(reader.jdbcUrl());
    out.println("serving. BI connection (role bi_reader, schema bi):");
    out.println("  JDBC URL: " + withLogin(base, reader.user(), reader.password()));
    out.println(
        "  psql:     psql \"postgresql://"
            + reader.user()
            + ":"
            + reader.password()
            + "@"
            + hostPortDatabase(base)
            + "\" -c '"
            + PSQL_EXAMPLE
            + "'");
    if (generatedWriter) {
      out.println("writer login (role etl_writer, as the Lambda logs in; not for BI tools):");
      out.println(
          "  JDBC URL: "
              + withLogin(
                  JdbcUrls.withoutCredentials(writer.jdbcUrl()), writer.user(), writer.password()));
    } else {
      out.println(
          "writer login: yours, user "
              + writer.user()
              + " at "
              + JdbcUrl.masked(writer.jdbcUrl())
              + " (password not shown)");
    }
  }

  private static String withLogin(String url, String user, String password) {
    return url + (url.contains("?") ? "&" : "?") + "user=" + user + "&password=" + password;
  }

  /**
   * {@code localhost:5432/postgres} out of {@code jdbc:postgresql://localhost:5432/postgres?..}.
   */
  private static String hostPortDatabase(String url) {
    return url.substring("jdbc:postgresql://".length()).replaceFirst("\\?.*$", "");
  }
}
