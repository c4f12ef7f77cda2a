package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mapping.sh validate} on real files, through the same picocli setup as the script. */
class MappingCheckIT {

  private static final String MISSPELT =
      """
      {"attributes":{"emial":{"treatment":"pseudonymise","column":"email_pseudonym",\
      "namespace":"email","normalise":"email"}}}
      """;
  // One exported item per line, as run-local.sh --export-source writes it (DynamoDB JSON).
  private static final String SAMPLE =
      """
      {"transactionId":{"S":"t-1"},"userId":{"S":"u-1"},"email":{"S":"secret.person@example.test"},\
      "amount":{"N":"1.5"},"currency":{"S":"EUR"},"createdAt":{"S":"2026-01-01T00:00:00Z"}}
      {"transactionId":{"S":"t-2"},"userId":{"S":"u-2"},"amount":{"N":"2"},"currency":{"S":"EUR"},\
      "createdAt":{"S":"2026-01-01T00:00:00Z"},"tags":{"SS":["a","b"]}}
      """;

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MappingCheck.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void aValidDocumentExitsZeroAndSummarisesWhatItMaps() throws IOException {
    Path mapping = file("ok.json", "{\"attributes\":{\"channel\":{\"treatment\":\"extra\"}}}");

    Run run = run("validate", mapping.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out().lines().findFirst()).contains(mapping + ": valid");
    assertThat(run.out())
        .contains("email -> email_pseudonym (email, email)")
        .contains("extra         channel")
        .contains("drop          counterpartyName, metadata")
        .contains("ttlDeletes    ignore");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anUnknownTreatmentExitsTwoNamingTheEntry() throws IOException {
    Path mapping = file("bad.json", "{\"attributes\":{\"email\":{\"treatment\":\"kepe\"}}}");

    Run run = run("validate", mapping.toString());

    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .contains("mapping document file " + mapping)
        .contains("attributes.email: unknown treatment \"kepe\"")
        .doesNotContain("Exception");
  }

  @Test
  void invalidJsonExitsTwoWithTheLine() throws IOException {
    Path mapping = file("broken.json", "{\n\"attributes\": {\n}\n,,}");

    Run run = run("validate", mapping.toString());

    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("is not valid JSON at line 4");
  }

  @Test
  void aMissingFileExitsTwoInOneLine() {
    Run run = run("validate", dir.resolve("nope.json").toString());

    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err().lines()).singleElement().asString().contains("nope.json not found");
  }

  @Test
  void warnsOncePerMappedAttributeTheSampleNeverHasNamingNoValue() throws IOException {
    Run run = run("validate", file("m.json", MISSPELT).toString(), "--sample", sample().toString());

    assertThat(run.code()).as("warnings alone do not fail").isEqualTo(ExitCode.OK);
    assertThat(run.err().lines().filter(l -> l.startsWith("warning: ")))
        .as("one line per absent mapped attribute (dropped ones are not mapped)")
        .containsExactly(
            "warning: attributes.accountId is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.counterpartyIban is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.country is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.emial is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.ipAddress is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.merchantCategoryCode is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.merchantName is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.phone is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.status is mapped but none of the 2 items of "
                + sample()
                + " has it",
            "warning: attributes.type is mapped but none of the 2 items of " + sample() + " has it",
            "warning: attributes.updatedAt is mapped but none of the 2 items of "
                + sample()
                + " has it");
    assertThat(run.err()).contains("note: the sample's unmapped attributes (dropped): email");
    assertThat(run.out() + run.err()).doesNotContain("secret.person").doesNotContain("u-1");
  }

  @Test
  void strictTurnsSampleWarningsIntoExitOne() throws IOException {
    Run run =
        run(
            "validate",
            file("m.json", MISSPELT).toString(),
            "--sample",
            sample().toString(),
            "--strict");

    assertThat(run.code()).isEqualTo(ExitCode.FOUND);
  }

  @Test
  void aSampleCarryingEveryMappedAttributeGivesNoWarning() throws IOException {
    Path mapping =
        file(
            "minimal.json",
            """
            {"replaceDefaults": true, "attributes": {
              "transactionId": {"treatment": "keep", "column": "transaction_id"},
              "userId": {"treatment": "pseudonymise", "column": "user_pseudonym", "namespace": "user"},
              "amount": {"treatment": "keep", "column": "amount"},
              "currency": {"treatment": "keep", "column": "currency"},
              "createdAt": {"treatment": "keep", "column": "created_at"}}}
            """);

    Run run = run("validate", mapping.toString(), "--sample", sample().toString(), "--strict");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains(": every mapped attribute appears in its 2 items");
  }

  @Test
  void aSampleLineThatIsNotAnItemExitsTwoWithoutQuotingIt() throws IOException {
    Path sample = file("bad.jsonl", SAMPLE + "secret.person@example.test\n");

    Run run = run("validate", file("m.json", "{}").toString(), "--sample", sample.toString());

    assertThat(run.code()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("line 3 is not valid JSON").doesNotContain("secret.person");
  }

  private Path sample() throws IOException {
    Path sample = dir.resolve("items.jsonl");
    if (!Files.exists(sample)) Files.writeString(sample, SAMPLE);
    return sample;
  }
}
