package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddbwarehouse.deployment.ScriptHarness.Call;
import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class GdprScriptTest {

  private static final String SCRIPT = "gdpr.sh";
  // A value for the stubs only: asserted never to reach a command line or the terminal.
  private static final String VALUE = "alice.stub-7f3c@example.com";
  private static final String FUNCTION = "ddb-warehouse-test-erasure";
  private static final String DESCRIBE = "aws_cloudformation_describe-stacks";
  private static final String INVOKE = "aws_lambda_invoke";
  private static final String INVOKED = "{\"StatusCode\": 200, \"ExecutedVersion\": \"$LATEST\"}\n";
  private static final String FORGOTTEN =
      """
      {"requestId":"REQ-1","action":"forget","dryRun":false,\
      "rowsAffected":{"warehouse.user_profiles":1,"warehouse.transactions":3},"keyVersions":["v1"]}
      """;
  private static final String EXPORTED =
      """
      {"requestId":"REQ-2","action":"export","rows":[
        {"table":"warehouse.transactions","transaction_id":"t-1","amount":12.5},
        {"table":"warehouse.user_profiles","country":"DE"}]}
      """;

  @TempDir Path tempDir;
  private ScriptHarness harness;
  private Path valueFile;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(
        ScriptHarness.hasSystemTool("jq"),
        "gdpr.sh builds the request and reads the answer with jq, which is not installed");
    harness = new ScriptHarness(tempDir);
    harness.respond(DESCRIBE, FUNCTION + "\n", "", 0);
    harness.respond(INVOKE, INVOKED, "", 0);
    harness.respondWithOutputFile(INVOKE, FORGOTTEN);
    valueFile = tempDir.resolve("value.txt");
    Files.writeString(valueFile, VALUE + "\n");
  }

  @Test
  void forgetInvokesTheStagesErasureFunctionWithTheRequest() {
    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Call describe = result.onlyCall("aws", "cloudformation", "describe-stacks");
    assertThat(describe.option("--stack-name")).contains("ddb-warehouse-test");
    assertThat(describe.option("--query").orElseThrow()).contains("'ErasureFunctionName'");
    assertThat(describe.option("--output")).contains("text");
    Call invoke = result.onlyCall("aws", "lambda", "invoke");
    assertThat(invoke.option("--function-name")).contains(FUNCTION);
    assertThat(invoke.option("--cli-binary-format")).contains("raw-in-base64-out");
    assertThat(invoke.option("--payload").orElseThrow()).startsWith("fileb://");
    assertThat(payload())
        .isEqualTo(
            Map.of(
                "requestId", "REQ-1",
                "namespace", "email",
                "value", VALUE,
                "action", "forget",
                "dryRun", false));
  }

  @Test
  void forgetPrintsEachTableAndASummary() {
    Result result = forget("--request-id", "REQ-1");

    assertThat(result.stdout().lines().toList())
        .containsExactly(
            "table=warehouse.transactions rows=3",
            "table=warehouse.user_profiles rows=1",
            "SUMMARY request=REQ-1 namespace=email tables=2 rows=4 dry_run=false");
  }

  @Test
  void dryRunIsTheRequestsOwnAndStillInvokes() {
    harness.respondWithOutputFile(
        INVOKE, FORGOTTEN.replace("\"dryRun\":false", "\"dryRun\":true").replace("REQ-1", "REQ-9"));

    Result result = forget("--request-id", "REQ-9", "--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(payload()).containsEntry("dryRun", true);
    assertThat(result.stdout().lines().toList())
        .last()
        .isEqualTo("SUMMARY request=REQ-9 namespace=email tables=2 rows=4 dry_run=true");
  }

  @Test
  void theRawValueIsOnNoCommandLineNorTheTerminalAndTheRequestFileIsGone() throws IOException {
    harness.recordSystemTools();

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).extracting(Call::tool).as("recorded").contains("jq", "mktemp");
    assertNoValueAnywhere(result);
    Path request = requestFile(result);
    assertThat(request).as("removed on exit").doesNotExist();
    assertThat(request.getParent()).as("its temporary directory too").doesNotExist();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(harness.capturedFile(INVOKE))))
        .as("the request, as the AWS CLI found it, is readable by its owner only")
        .isEqualTo("rw-------");
  }

  @Test
  void readsTheValueFromStdinWithDash() {
    harness.recordSystemTools();

    Result result =
        harness.runShell(
            "scripts/gdpr.sh forget --stage test --namespace email --request-id REQ-1"
                + " --value-file - <"
                + valueFile);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(payload()).containsEntry("value", VALUE);
    assertNoValueAnywhere(result);
  }

  @Test
  void theTemporaryFilesAreGoneAfterAFailedInvocationToo() {
    harness.respond(INVOKE, "", "\nCould not connect to the endpoint URL: \"https://x\"\n", 255);

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(requestFile(result).getParent()).doesNotExist();
  }

  @Test
  void exportPrintsOneRowALineUnderAGeneratedRequestId() {
    harness.respondWithOutputFile(INVOKE, EXPORTED);

    Result result =
        harness.run(
            SCRIPT,
            "export",
            "--stage",
            "test",
            "--namespace",
            "email",
            "--value-file",
            valueFile.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines().toList())
        .containsExactly(
            "{\"table\":\"warehouse.transactions\",\"transaction_id\":\"t-1\",\"amount\":12.5}",
            "{\"table\":\"warehouse.user_profiles\",\"country\":\"DE\"}");
    Map<String, Object> payload = payload();
    assertThat(payload).containsEntry("action", "export").containsEntry("value", VALUE);
    assertThat((String) payload.get("requestId")).matches("export-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
    assertNoValueAnywhere(result);
  }

  @Test
  void exportWritesTheRowsToAnOwnerOnlyOutputFile() throws IOException {
    harness.respondWithOutputFile(INVOKE, EXPORTED);
    Path output = tempDir.resolve("export.jsonl");

    Result result =
        harness.run(
            SCRIPT,
            "export",
            "--stage",
            "test",
            "--namespace",
            "email",
            "--value-file",
            valueFile.toString(),
            "--request-id",
            "REQ-2",
            "--output",
            output.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEmpty();
    assertThat(Files.readAllLines(output)).hasSize(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(output)))
        .isEqualTo("rw-------");
    assertThat(result.stderr()).contains("wrote 2 rows to " + output);
  }

  @Test
  void takesTheRegionOfTheStageFile() {
    harness.writeRepoFile("deploy/test.env", "AWS_REGION=eu-west-1\nDEPLOY_BUCKET=b\n");

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.calls()).hasSize(2);
    assertThat(result.calls())
        .allSatisfy(call -> assertThat(call.option("--region")).contains("eu-west-1"));
    Result overridden = forget("--request-id", "REQ-1", "--region", "us-east-1");
    List<Call> invokes = overridden.callsOf("aws", "lambda", "invoke");
    assertThat(invokes).as("the log holds both runs' calls").hasSize(2);
    assertThat(invokes.get(1).option("--region")).contains("us-east-1");
  }

  @Test
  void refusesBadArgumentsWithOnePlainLineAndExitCode2() {
    String file = valueFile.toString();
    List<List<String>> cases =
        List.of(
            List.of(),
            List.of("erase", "--stage", "test"),
            List.of("forget", "--stage", "test", "--value-file", file, "--request-id", "R"),
            List.of("forget", "--stage", "test", "--namespace", "Email!", "--value-file", file),
            List.of("forget", "--stage", "test", "--namespace", "email", "--request-id", "R"),
            List.of(
                "forget",
                "--stage",
                "test",
                "--namespace",
                "email",
                "--value-file",
                file,
                "--value",
                "x",
                "--request-id",
                "R"),
            List.of("forget", "--stage", "test", "--namespace", "email", "--value-file", file),
            List.of("forget", "--namespace", "email", "--value-file", file, "--request-id", "R"),
            List.of(
                "forget",
                "--stage",
                "test",
                "--jdbc-url",
                "jdbc:postgresql://db/w",
                "--namespace",
                "email",
                "--value-file",
                file,
                "--request-id",
                "R"),
            List.of(
                "forget",
                "--stage",
                "test",
                "--namespace",
                "email",
                "--value-file",
                file,
                "--request-id",
                "R",
                "--verbose"),
            List.of(
                "forget",
                "--stage",
                "test",
                "--namespace",
                "email",
                "--value-file",
                file + ".missing",
                "--request-id",
                "R"),
            List.of(
                "forget",
                "--stage",
                "Test",
                "--namespace",
                "email",
                "--value-file",
                file,
                "--request-id",
                "R"),
            List.of(
                "export",
                "--stage",
                "test",
                "--namespace",
                "email",
                "--value-file",
                file,
                "--dry-run"),
            List.of("forget", "--stage", "test", "--namespace", "--value-file", file));
    for (List<String> args : cases) {
      Result result = harness.run(SCRIPT, args.toArray(String[]::new));

      assertThat(result.exitCode()).as(args + ": " + result.stderr()).isEqualTo(2);
      assertThat(result.stderr().lines().toList())
          .as(args.toString())
          .singleElement()
          .asString()
          .startsWith("error: ")
          .doesNotContain("Exception");
      assertThat(result.calls()).as(args + ": nothing ran").isEmpty();
    }
  }

  @Test
  void refusesAnEmptyValue() throws IOException {
    Files.writeString(valueFile, "\n");

    Result result = forget("--request-id", "R");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).isEqualTo("error: the value is empty (see --help)\n");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void exitsWith3WhenTheFunctionCannotBeReached() {
    harness.respond(
        INVOKE,
        "",
        "\nCould not connect to the endpoint URL: \"https://lambda.eu-west-1.amazonaws.com/\"\n",
        255);

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")))
        .singleElement()
        .asString()
        .contains("cannot invoke " + FUNCTION)
        .contains("Could not connect to the endpoint URL");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void exitsWith3WhenTheStackHasNoErasureFunction() {
    harness.respond(DESCRIBE, "None\n", "", 0);

    Result noOutput = forget("--request-id", "REQ-1");

    assertThat(noOutput.exitCode()).isEqualTo(3);
    assertThat(noOutput.stderr()).contains("no output ErasureFunctionName");
    assertThat(noOutput.callsOf("aws", "lambda")).isEmpty();

    harness.respond(
        DESCRIBE,
        "",
        "\nAn error occurred (ValidationError) when calling the DescribeStacks operation: Stack"
            + " with id ddb-warehouse-test does not exist\n",
        254);
    Result noStack = forget("--request-id", "REQ-1");
    assertThat(noStack.exitCode()).isEqualTo(3);
    assertThat(noStack.stderr()).contains("cannot read stack ddb-warehouse-test").contains("exist");
  }

  @Test
  void exitsWith1WhenTheFunctionReportsAnError() {
    harness.respond(INVOKE, "{\"StatusCode\": 200, \"FunctionError\": \"Unhandled\"}\n", "", 0);
    harness.respondWithOutputFile(
        INVOKE,
        "{\"errorType\":\"dev.ddbwarehouse.erasure.ErasureException\","
            + "\"errorMessage\":\"namespace 'email' is not in the mapping document\"}");

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("error: " + FUNCTION + " failed (Unhandled)")
        .contains("namespace 'email' is not in the mapping document");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void exitsWith1OnAnAnswerWithoutCounts() {
    harness.respondWithOutputFile(INVOKE, "{\"requestId\":\"REQ-1\"}");

    Result result = forget("--request-id", "REQ-1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("without rowsAffected");
  }

  @Test
  void helpNamesEveryOptionAndRecommendsTheValueFile() {
    Result result = harness.run(SCRIPT, "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout())
        .startsWith("Usage: scripts/gdpr.sh COMMAND [options]")
        .contains(
            "forget --namespace NS --value V|--value-file F --request-id ID",
            "export --namespace NS --value V|--value-file F [--request-id ID]",
            "(--jdbc-url URL [--db-user U] [--hmac-secret-file F] [--mapping F] | --stage S)",
            "[--dry-run]",
            "[--output F]",
            "table=<name> rows=<n>",
            "SUMMARY request=<id> namespace=<ns> tables=<k> rows=<total> dry_run=<true|false>")
        .contains("Recommended: the value then appears in no process's")
        .contains("0 done, 1 the function", "2 bad arguments", "3 the function or the database");
    assertThat(harness.run(SCRIPT, "forget", "--help").stdout()).isEqualTo(result.stdout());
  }

  @Test
  void withoutAStageRunsTheLocalCliWithTheArgumentsUnchanged() throws IOException {
    Path argv = harness.stubHome().resolve("captured/java.argv");
    Path java = tempDir.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    // Newer than any installed JDK, so local-runtime.sh picks it; it records what it was given.
    Files.writeString(
        java,
        """
        #!/bin/bash
        if [[ "$1" == -XshowSettings:properties ]]; then
          echo '    java.specification.version = 99' >&2
          exit 0
        fi
        printf '%%s\\n' "$@" >%s
        exit 4
        """
            .formatted(argv));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    harness.env("JAVA_HOME", java.getParent().getParent().toString());

    Result result =
        harness.run(
            SCRIPT,
            "forget",
            "--namespace",
            "email",
            "--value-file",
            valueFile.toString(),
            "--request-id",
            "REQ-1",
            "--jdbc-url",
            "jdbc:postgresql://localhost:5432/warehouse",
            "--dry-run");

    assertThat(result.exitCode()).as("the CLI's own exit code: " + result.stderr()).isEqualTo(4);
    List<String> command = Files.readAllLines(argv);
    assertThat(command.subList(command.indexOf("dev.ddbwarehouse.local.cli.Gdpr"), command.size()))
        .as("--dry-run reaches the CLI: it is the request's, not local-runtime.sh's")
        .containsExactly(
            "dev.ddbwarehouse.local.cli.Gdpr",
            "forget",
            "--namespace",
            "email",
            "--value-file",
            valueFile.toString(),
            "--request-id",
            "REQ-1",
            "--jdbc-url",
            "jdbc:postgresql://localhost:5432/warehouse",
            "--dry-run");
    assertThat(result.calls()).as("no AWS call").isEmpty();
  }

  private Result forget(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "forget",
                "--stage",
                "test",
                "--namespace",
                "email",
                "--value-file",
                valueFile.toString()));
    args.addAll(List.of(extra));
    return harness.run(SCRIPT, args.toArray(String[]::new));
  }

  private Map<String, Object> payload() {
    // JSON is YAML.
    return new Yaml().load(harness.captured(INVOKE));
  }

  private static Path requestFile(Result result) {
    String payload = result.onlyCall("aws", "lambda", "invoke").option("--payload").orElseThrow();
    return Path.of(payload.substring("fileb://".length()));
  }

  private static void assertNoValueAnywhere(Result result) {
    assertThat(result.calls()).extracting(Call::tool).contains("aws");
    assertThat(result.calls())
        .allSatisfy(call -> assertThat(String.join(" ", call.argv())).doesNotContain(VALUE));
    assertThat(result.stdout() + result.stderr()).doesNotContain(VALUE);
  }
}
