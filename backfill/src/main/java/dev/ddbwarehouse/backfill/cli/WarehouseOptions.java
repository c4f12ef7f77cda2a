package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.verify.WarehouseDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The warehouse verify and teardown read. The password never goes on the command line (it would
 * show in the process list): a file, or the WAREHOUSE_DB_PASSWORD variable the function's local
 * configuration uses too.
 */
public final class WarehouseOptions {

  static final String PASSWORD_ENV = "WAREHOUSE_DB_PASSWORD";

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      required = true,
      description = "Warehouse JDBC URL (jdbc:postgresql://...).")
  String jdbcUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      defaultValue = "${env:WAREHOUSE_DB_USER:-postgres}",
      description = {
        "Warehouse user with SELECT on the entry's warehouse table and etl.quarantine",
        "(default: $WAREHOUSE_DB_USER, else ${DEFAULT-VALUE})."
      })
  String user;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description = "File holding the password (default: $" + PASSWORD_ENV + ").")
  Path passwordFile;

  WarehouseDatabase database(Map<String, String> env) {
    return new WarehouseDatabase(jdbcUrl, user, password(env));
  }

  private String password(Map<String, String> env) {
    if (passwordFile == null) {
      return env.getOrDefault(PASSWORD_ENV, "");
    }
    try {
      return Files.readString(passwordFile).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read --db-password-file " + passwordFile, e);
    }
  }
}
