package dev.ddbwarehouse.local.pipeline;

import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.LocalContext;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real Lambda handler behind the local poller and CLIs, configured through the same environment
 * keys it reads in AWS (local variants: a key file instead of Secrets Manager, a mapping file
 * instead of SSM).
 */
public final class WarehouseFunction {

  /** The handler's local configuration; {@code mappingFile} and {@code ttlDeletes} may be null. */
  public record Settings(
      String jdbcUrl,
      String user,
      String password,
      Path hmacSecretFile,
      Path mappingFile,
      String ttlDeletes) {

    public Map<String, String> environment() {
      Map<String, String> env = new HashMap<>();
      env.put("WAREHOUSE_JDBC_URL", jdbcUrl);
      env.put("WAREHOUSE_DB_USER", user);
      env.put("WAREHOUSE_DB_PASSWORD", password == null ? "" : password);
      env.put("HMAC_SECRET_FILE", hmacSecretFile.toAbsolutePath().toString());
      if (mappingFile != null) {
        env.put("MAPPING_FILE", mappingFile.toAbsolutePath().toString());
      }
      if (ttlDeletes != null) {
        env.put("TTL_DELETES", ttlDeletes);
      }
      return Map.copyOf(env);
    }

    @Override
    public String toString() {
      return "Settings[" + JdbcUrl.masked(jdbcUrl) + " as " + user + "]";
    }
  }

  /** The SAM template's default {@code Timeout}. */
  static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(120);

  private WarehouseFunction() {}

  public static StreamHandler handler(Settings settings, BatchObserver observer) {
    return StreamHandler.fromEnvironment(settings.environment(), observer);
  }

  /**
   * The handler as the poller invokes it: each invocation with a context whose remaining time
   * starts at the template's default function timeout, as the deployed mapping would, and one at a
   * time, as Lambda runs an execution environment: the pollers of several streams share this
   * handler, and its one connection must never carry two batches' transactions at once (a commit or
   * a savepoint rollback of one would end the other's work).
   */
  public static StreamBatchFunction create(Settings settings, BatchObserver observer) {
    StreamHandler handler = handler(settings, observer);
    return event -> {
      synchronized (handler) {
        return HandlerInvocation.invoke(
            handler, event.json(), LocalContext.startingNow(FUNCTION_TIMEOUT));
      }
    };
  }
}
