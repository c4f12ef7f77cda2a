package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddbwarehouse.deployment.ScriptHarness.Call;
import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** gdpr.sh rotate-key | retire-key | key-status --stage: the secret and the erasure function. */
class GdprKeysScriptTest {

  private static final String V1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final String V2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
  private static final String GET = "aws_secretsmanager_get-secret-value";
  private static final String PUT = "aws_secretsmanager_put-secret-value";
  private static final String DESCRIBE = "aws_cloudformation_describe-stacks";
  private static final String INVOKE = "aws_lambda_invoke";

  @TempDir java.nio.file.Path tempDir;
  private ScriptHarness harness;

  @BeforeEach
  void setUp() {
    assumeTrue(ScriptHarness.hasSystemTool("jq"), "gdpr.sh edits the key ring with jq");
    harness = new ScriptHarness(tempDir);
    harness.respond(DESCRIBE, "ddb-warehouse-test-erasure\n", "", 0);
    harness.respond(INVOKE, "{\"StatusCode\": 200}\n", "", 0);
  }

  @Test
  void rotateKeyAddsTheNextVersionThroughAFileAndPinsTheSuppressionVersion() throws Exception {
    harness.respond(GET, "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + V1 + "\"}}\n", "", 0);
    harness.respond(PUT, "{}\n", "", 0);

    Result result = harness.run("gdpr.sh", "rotate-key", "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEqualTo("rotated: active=v2 versions=v1,v2 suppression=v1\n");
    Call put = result.onlyCall("aws", "secretsmanager", "put-secret-value");
    assertThat(put.option("--secret-id")).contains("ddb-warehouse/test/hmac-key");
    assertThat(put.option("--secret-string").orElseThrow()).startsWith("file://");
    Map<String, Object> written = new Yaml().load(harness.captured(PUT));
    assertThat(written).containsEntry("active", "v2").containsEntry("suppressionVersion", "v1");
    @SuppressWarnings("unchecked")
    Map<String, String> keys = (Map<String, String>) written.get("keys");
    assertThat(keys).containsEntry("v1", V1).containsKey("v2");
    assertThat(java.util.Base64.getDecoder().decode(keys.get("v2"))).hasSize(32);
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(harness.capturedFile(PUT))))
        .isEqualTo("rw-------");
    for (Call call : result.calls()) {
      assertThat(String.join(" ", call.argv())).doesNotContain(V1).doesNotContain(keys.get("v2"));
    }
    assertThat(result.stdout() + result.stderr()).doesNotContain(V1).doesNotContain(keys.get("v2"));
  }

  @Test
  void aDryRunRotationWritesNothing() {
    harness.respond(GET, "{\"active\":\"v1\",\"keys\":{\"v1\":\"" + V1 + "\"}}\n", "", 0);

    Result result = harness.run("gdpr.sh", "rotate-key", "--stage", "test", "--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("would rotate: active=v2");
    assertThat(result.calls()).noneMatch(c -> c.argv().contains("put-secret-value"));
  }

  @Test
  void retireKeyIsRefusedWhileLiveRowsCarryTheVersion() {
    harness.respond(GET, ring(), "", 0);
    harness.respondWithOutputFile(
        INVOKE,
        "{\"action\":\"key-status\",\"counts\":[{\"table\":\"warehouse.transactions\",\"keyVersion\":\"v1\",\"live\":4,\"deleted\":0}],\"erasuresNotCovering\":0}");

    Result result = harness.run("gdpr.sh", "retire-key", "--stage", "test", "--version", "v1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("4 live rows still carry key version v1");
    assertThat(result.calls()).noneMatch(c -> c.argv().contains("put-secret-value"));
  }

  @Test
  void retireKeyReleasesDeletedRowsThenRemovesTheVersionAndMovesTheSuppressionVersion() {
    harness.respond(GET, ring(), "", 0);
    harness.respond(PUT, "{}\n", "", 0);
    harness.respondWithOutputFile(
        INVOKE,
        "{\"action\":\"key-status\",\"counts\":[{\"table\":\"warehouse.transactions\",\"keyVersion\":\"v1\",\"live\":0,\"deleted\":2}],\"erasuresNotCovering\":0,\"released\":{\"warehouse.transactions\":2}}");

    Result result = harness.run("gdpr.sh", "retire-key", "--stage", "test", "--version", "v1");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .isEqualTo("retired: version=v1 released_deleted_rows=2 suppression=v2\n");
    Map<String, Object> written = new Yaml().load(harness.captured(PUT));
    assertThat(written).containsEntry("suppressionVersion", "v2").containsEntry("active", "v2");
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) written.get("keys");
    assertThat(keys).containsOnlyKeys("v2");
  }

  @Test
  void theSuppressionVersionStaysWhenAnErasurePredatesItsSuccessor() {
    harness.respond(GET, ring(), "", 0);
    harness.respondWithOutputFile(
        INVOKE, "{\"action\":\"key-status\",\"counts\":[],\"erasuresNotCovering\":3}");

    Result result = harness.run("gdpr.sh", "retire-key", "--stage", "test", "--version", "v1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("3 erasures were carried out before key version v2 existed");
  }

  @Test
  void mistakesAreOnePlainLineWithExitTwo() {
    harness.respond(GET, ring(), "", 0);
    assertThat(harness.run("gdpr.sh", "retire-key", "--stage", "test").exitCode()).isEqualTo(2);
    Result active = harness.run("gdpr.sh", "retire-key", "--stage", "test", "--version", "v2");
    assertThat(active.exitCode()).isEqualTo(2);
    assertThat(active.stderr()).contains("is the active one");
    assertThat(harness.run("gdpr.sh", "key-status", "--stage", "test", "--dry-run").exitCode())
        .isEqualTo(2);
  }

  @Test
  void keyStatusPrintsTheFunctionsCounts() {
    harness.respondWithOutputFile(
        INVOKE,
        "{\"action\":\"key-status\",\"counts\":[{\"table\":\"warehouse.transactions\",\"keyVersion\":\"v2\",\"live\":7,\"deleted\":1},{\"table\":\"warehouse.transactions\",\"keyVersion\":null,\"live\":2,\"deleted\":0}]}");

    Result result = harness.run("gdpr.sh", "key-status", "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines().toList())
        .containsExactly(
            "table=warehouse.transactions key_version=v2 live=7 deleted=1",
            "table=warehouse.transactions key_version=none live=2 deleted=0");
  }

  private static String ring() {
    return "{\"active\":\"v2\",\"keys\":{\"v1\":\"" + V1 + "\",\"v2\":\"" + V2 + "\"}}\n";
  }
}
