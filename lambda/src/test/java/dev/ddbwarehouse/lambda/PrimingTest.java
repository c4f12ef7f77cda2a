package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimingTest {

  // Never reached: priming renders SQL without a database.
  private static final Map<String, String> NO_DATABASE =
      Map.of(
          "WAREHOUSE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/none",
          "WAREHOUSE_DB_USER", "nobody");

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @Test
  void thePrimingRecordReachesTheSqlRenderingUnderTheDefaultMapping() {
    Pipeline pipeline = pipeline(TestKeys.environment(NO_DATABASE));

    assertThat(pipeline.prime())
        .as("one record per table; a quarantined one leaves jOOQ's first use to the first batch")
        .isEqualTo(2);
    assertThat(logs.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theHotPathRunsWithoutADatabaseUntilItsRecordCountOrItsBudgetIsSpent() {
    Pipeline pipeline = pipeline(TestKeys.environment(NO_DATABASE));

    assertThat(pipeline.primeHotPath(1_000, Duration.ofMinutes(1)))
        .as("two records (one per table) per priming event, all through")
        .isEqualTo(1_000);
    assertThat(pipeline.primeHotPath(1_000, Duration.ZERO)).as("no budget").isZero();
    assertThat(logs.toString(StandardCharsets.UTF_8)).as("no warnings, no failures").isEmpty();
  }

  @Test
  void aMappingThatRenamesAttributesStillPrimes(@TempDir Path dir) throws Exception {
    // The source table names its user "customerId": the priming record is built from the table's
    // own rules, so it carries customerId and maps to an upsert (a fixed record with "userId"
    // lacked a required attribute, was quarantined, and left jOOQ's warm-up to the first batch).
    Path mapping = dir.resolve("mapping.json");
    Files.writeString(
        mapping,
        """
        {"attributes": {"customerId": {"treatment": "pseudonymise", "column": "user_pseudonym",
          "namespace": "user", "classification": "identifying"}}}
        """);
    Map<String, String> env = new HashMap<>(TestKeys.environment(NO_DATABASE));
    env.put("MAPPING_FILE", mapping.toString());
    Pipeline pipeline = pipeline(env);

    assertThat(pipeline.prime()).isEqualTo(1);
    assertThat(logs.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private Pipeline pipeline(Map<String, String> env) {
    EtlConfig config =
        EtlConfig.fromEnv(
            env,
            () -> {
              throw new AssertionError("a local configuration reads no AWS source");
            });
    return Pipeline.wire(
        config,
        BatchObserver.NONE,
        "priming-test",
        new PrintStream(logs, true, StandardCharsets.UTF_8));
  }
}
