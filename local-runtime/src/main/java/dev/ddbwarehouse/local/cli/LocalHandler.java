package dev.ddbwarehouse.local.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import java.util.Map;

/**
 * The real handler for a CLI: its configuration errors (a short key, a bad mapping entry) become
 * one line that names the flag the user typed instead of the environment key the handler reads.
 */
final class LocalHandler {

  private static final Map<String, String> FLAG_OF_KEY =
      Map.of(
          EtlConfig.HMAC_SECRET_FILE, "--hmac-secret-file",
          EtlConfig.MAPPING_FILE, "--mapping",
          EtlConfig.TTL_DELETES, "--ttl-deletes",
          EtlConfig.WAREHOUSE_JDBC_URL, "--jdbc-url",
          EtlConfig.WAREHOUSE_DB_USER, "--db-user",
          EtlConfig.WAREHOUSE_DB_PASSWORD, "--db-password");

  private LocalHandler() {}

  static StreamHandler create(WarehouseFunction.Settings settings, BatchObserver observer) {
    try {
      return WarehouseFunction.handler(settings, observer);
    } catch (InvalidConfigurationException e) {
      throw new CliFailure(
          ExitCode.USAGE, "the handler could not run: " + inFlags(e.getMessage()), e);
    }
  }

  /** A configuration message in the CLI's words, on one line, with any password masked. */
  static String inFlags(String message) {
    String text = message == null ? "invalid configuration" : message;
    for (Map.Entry<String, String> key : FLAG_OF_KEY.entrySet()) {
      text = text.replaceAll("\\b" + key.getKey() + "\\b", key.getValue());
    }
    return JdbcUrl.masked(String.join("; ", text.strip().lines().toList()));
  }
}
