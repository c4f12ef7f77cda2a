package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/mapping.sh validate}, the script as an operator runs it, on the real check. */
class MappingScriptTest {

  private static final String SCRIPT = "mapping.sh";
  private static final String EMAIL = "private.person@example.test";
  // Two items as run-local.sh --export-source writes them: one DynamoDB JSON item per line.
  private static final String ITEMS =
      """
      {"transactionId":{"S":"t-1"},"userId":{"S":"u-1"},"email":{"S":"%s"},"amount":{"N":"1"},\
      "currency":{"S":"EUR"},"createdAt":{"S":"2026-01-01T00:00:00Z"}}
      {"transactionId":{"S":"t-2"},"userId":{"S":"u-2"},"email":{"S":"%s"},"amount":{"N":"2"},\
      "currency":{"S":"EUR"},"createdAt":{"S":"2026-01-01T00:00:00Z"}}
      """
          .formatted(EMAIL, EMAIL);
  private static final String MISSPELT =
      """
      {"attributes": {"emial": {"treatment": "pseudonymise", "column": "email_pseudonym",
        "namespace": "email"}}}
      """;

  @TempDir Path tempDir;
  private ScriptHarness harness;

  @BeforeEach
  void setUp() {
    harness = new ScriptHarness(tempDir);
  }

  @Test
  void aValidDocumentExitsZeroWithAOneLineVerdictAndASummary() {
    Path file = harness.writeRepoFile("config/ok.json", "{\"ttlDeletes\": \"soft-delete\"}");

    Result result = harness.run(SCRIPT, "validate", file.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines().findFirst()).contains(file + ": valid");
    assertThat(result.stdout())
        .contains("userId -> user_pseudonym (user, trim)")
        .contains("ttlDeletes    soft-delete");
  }

  @Test
  void anInvalidDocumentExitsTwoWithTheParsersMessageNamingTheEntry() {
    Path file =
        harness.writeRepoFile(
            "config/bad.json", "{\"attributes\":{\"email\":{\"treatment\":\"kepe\"}}}");

    Result result = harness.run(SCRIPT, "validate", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "mapping.sh validate: mapping document file "
                + file
                + ": attributes.email: unknown treatment \"kepe\""
                + " (keep, pseudonymise, generalise-ip, truncate, bucket, allow-list, drop, extra)");
  }

  @Test
  void sampleWarningsNameTheAttributeAndNeverAValue() {
    Path mapping = harness.writeRepoFile("config/misspelt.json", MISSPELT);
    Path sample = harness.writeRepoFile("items.jsonl", ITEMS);

    Result result =
        harness.run(SCRIPT, "validate", mapping.toString(), "--sample", sample.toString());

    assertThat(result.exitCode()).as("warnings alone exit 0").isZero();
    assertThat(result.stderr())
        .contains(
            "warning: attributes.emial is mapped but none of the 2 items of " + sample + " has it")
        .contains("note: the sample's unmapped attributes (dropped): email")
        .doesNotContain(EMAIL)
        .doesNotContain("u-1");
    assertThat(result.stdout()).doesNotContain(EMAIL);
  }

  @Test
  void strictExitsOneOnSampleWarnings() {
    Path mapping = harness.writeRepoFile("config/misspelt.json", MISSPELT);
    Path sample = harness.writeRepoFile("items.jsonl", ITEMS);

    Result result =
        harness.run(
            SCRIPT, "validate", mapping.toString(), "--sample", sample.toString(), "--strict");

    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void helpExitsZeroAndDocumentsTheExitCodes() {
    Result result = harness.run(SCRIPT, "validate", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout())
        .startsWith("Usage: mapping.sh validate")
        .contains("--sample")
        .contains("--strict")
        .contains("Exit codes: 0 valid");
  }

  @Test
  void aMissingCommandIsAUsageError() {
    Result result = harness.run(SCRIPT);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("missing command: validate");
  }
}
