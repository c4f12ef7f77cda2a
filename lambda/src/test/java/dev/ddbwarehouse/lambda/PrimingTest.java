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
        .as("a quarantined priming record leaves jOOQ's first use to the first batch")
        .isEqualTo(1);
    assertThat(logs.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMappingThatRefusesThePrimingRecordIsLoggedNotHidden(@TempDir Path dir) throws Exception {
    // The source table names its user "customerId": the synthetic record, with "userId", lacks
    // a required attribute and is quarantined. Priming then warms less, and says so.
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

    assertThat(pipeline.prime()).isZero();
    assertThat(logs.toString(StandardCharsets.UTF_8))
        .contains("\"level\":\"WARN\"")
        .contains("priming record did not map to an upsert")
        .contains("\"outcome\":\"MISSING_ATTRIBUTE\"")
        .doesNotContain("priming-user");
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
