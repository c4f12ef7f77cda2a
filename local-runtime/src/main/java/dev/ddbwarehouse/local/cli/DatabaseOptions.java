package dev.ddbwarehouse.local.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach a PostgreSQL the user runs: a JDBC URL, credentials as options or in the URL. */
public final class DatabaseOptions {

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/warehouse (user= may ride along;"
              + " give the password with --db-password or PGPASSWORD rather than password=).")
  String jdbcUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (default: user= from the URL).")
  String user;

  @Option(
      names = "--db-password",
      paramLabel = "PASSWORD",
      description =
          "Database password (default: password= from the URL, else PGPASSWORD, else empty).")
  String password;

  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(jdbcUrl);
  }

  public String user() {
    if (user != null) {
      return user;
    }
    return queryParameter(jdbcUrl, "user")
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--db-user is required unless the JDBC URL carries user="));
  }

  public String password() {
    if (password != null) {
      return password;
    }
    return queryParameter(jdbcUrl, "password")
        .orElseGet(() -> Optional.ofNullable(System.getenv("PGPASSWORD")).orElse(""));
  }

  static Optional<String> queryParameter(String url, String name) {
    if (url == null || url.indexOf('?') < 0) {
      return Optional.empty();
    }
    for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
