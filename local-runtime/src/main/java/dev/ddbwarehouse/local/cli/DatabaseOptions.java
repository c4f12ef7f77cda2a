package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How to reach a PostgreSQL the user runs: a JDBC URL, a user, and a password from a file or {@code
 * PGPASSWORD} (a password on the command line or in the URL still works, but is visible to every
 * local user in the process list, and in shell history).
 */
public final class DatabaseOptions {

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/warehouse (log in with --db-user"
              + " and --db-password-file or PGPASSWORD).")
  String jdbcUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (default: user= from the URL).")
  String user;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the database password (default: the PGPASSWORD environment"
              + " variable, else none).")
  Path passwordFile;

  @Option(
      names = "--db-password",
      paramLabel = "PASSWORD",
      description =
          "Database password on the command line: other local users can see it; prefer"
              + " --db-password-file or PGPASSWORD.")
  String password;

  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(jdbcUrl);
  }

  public String user() {
    if (user != null) {
      return user;
    }
    // IllegalArgumentException, not CliFailure: invoke-local catches it to exit 2.
    return queryParameter(jdbcUrl, "user")
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--db-user is required unless the JDBC URL carries user="));
  }

  /**
   * In order: --db-password, --db-password-file, password= in the URL, PGPASSWORD, else empty.
   *
   * @throws CliFailure (exit 2) when the password file cannot be read
   */
  public String password() {
    if (password != null) {
      return password;
    }
    if (passwordFile != null) {
      return readPasswordFile(passwordFile);
    }
    return queryParameter(jdbcUrl, "password")
        .orElseGet(() -> Optional.ofNullable(System.getenv("PGPASSWORD")).orElse(""));
  }

  /** The first line, without its line end; the rest of the file is ignored. */
  static String readPasswordFile(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String line = end < 0 ? text : text.substring(0, end);
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw CliFailure.usage(
          "--db-password-file: cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): name a readable file whose first line is the password");
    }
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
