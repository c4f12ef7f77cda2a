package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.local.warehouse.LocalWarehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * run-local's checks of what its options name, with the parsers the handler itself uses, so that a
 * bad key or mapping file is one line before anything starts instead of a handler that fails on its
 * first batch. Every failure is a {@link CliFailure} of exit 2.
 */
final class ConfigFiles {

  private ConfigFiles() {}

  static void requireHmacKey(Path file) {
    keyRing(file);
  }

  /** The key ring in {@code file}, parsed as the handler parses it. */
  static KeyRing keyRing(Path file) {
    try {
      return KeyRing.parse(read(file, "--hmac-secret-file"), "--hmac-secret-file " + file);
    } catch (InvalidConfigurationException e) {
      throw CliFailure.usage(e.getMessage());
    }
  }

  static void requireMapping(Path file) {
    mapping(file);
  }

  /** The document in {@code file}, parsed as the handler parses it; null: the built-in one. */
  static Mapping mapping(Path file) {
    if (file == null) return MappingDocument.defaults();
    try {
      return MappingDocument.parse(read(file, "--mapping"), "--mapping " + file);
    } catch (InvalidConfigurationException e) {
      throw CliFailure.usage(e.getMessage());
    }
  }

  /** The user's PostgreSQL and how to log in to it, or empty for the embedded one. */
  static Optional<LocalWarehouse.Login> externalDatabase(DatabaseOptions database) {
    if (database.jdbcUrl().isEmpty()) {
      if (database.user != null || database.password != null || database.passwordFile != null) {
        throw CliFailure.usage(
            "--db-user, --db-password-file and --db-password need --jdbc-url (the embedded"
                + " PostgreSQL makes its own logins)");
      }
      return Optional.empty();
    }
    String url = database.jdbcUrl().get();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw CliFailure.usage(
          "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), was "
              + JdbcUrl.masked(url));
    }
    String user;
    try {
      user = database.user();
    } catch (IllegalArgumentException e) {
      throw CliFailure.usage(e.getMessage());
    }
    return Optional.of(new LocalWarehouse.Login(url, user, database.password()));
  }

  /** The text of {@code file} (a leading BOM dropped); a usage error naming {@code option}. */
  static String read(Path file, String option) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw CliFailure.usage(
          option
              + ": cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): name an existing, readable file");
    }
  }
}
