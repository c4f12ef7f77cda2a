package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.backfill.BackfillCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The commands as an operator runs them, against DynamoDB Local through --endpoint-url. */
class BackfillCliIT {

  private final LocalHarness local = LocalHarness.shared();
  @TempDir Path dir;

  private CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", local.dynamo.endpoint().toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void planShowsKeySchemaCountSizeAndDuration() {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("plan"));
    local.writeItems(source, 7, 300);

    CliRun plan = cli("plan", "--source", source, "--rate", "100");

    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("key schema:  partition transactionId (S)")
        .contains("copy:        3s at --rate 100");
    assertThat(plan.lastLine())
        .startsWith("PLAN items=300 bytes=")
        .contains("exceeds_retention=false");
  }

  @Test
  void planWarnsWhenCopyPlusProcessingOutlastsTheStream() {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("plan-slow"));
    local.writeItems(source, 8, 100);

    CliRun plan = cli("plan", "--source", source, "--rate", "0.001", "--processing-rate", "0.001");

    assertThat(plan.out()).contains("WARNING: copy").contains("24-hour retention");
    assertThat(plan.lastLine()).contains("exceeds_retention=true");
  }

  @Test
  void missingSourceIsNamedWithExitCode3() {
    CliRun plan = cli("plan", "--source", "no-such-table");

    assertThat(plan.exitCode()).isEqualTo(3);
    assertThat(plan.err()).contains("table no-such-table does not exist");
  }

  @Test
  void createShadowIsIdempotentAndRefusesAForeignKeySchema() {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("shadow"));
    String other = LocalHarness.uniqueName("other-key");
    local
        .dynamoDb()
        .createTable(
            b ->
                b.tableName(other)
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName("id")
                            .keyType(KeyType.HASH)
                            .build())
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("id")
                            .attributeType(ScalarAttributeType.N)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));

    CliRun first = cli("create-shadow", "--source", source);
    CliRun second = cli("create-shadow", "--source", source);
    CliRun foreign = cli("create-shadow", "--source", source, "--shadow", other);

    assertThat(first.lastLine())
        .startsWith("SHADOW table=" + source + "-backfill")
        .endsWith("existed=false");
    assertThat(second.exitCode()).isZero();
    assertThat(second.lastLine()).endsWith("existed=true");
    assertThat(foreign.exitCode()).isEqualTo(2);
    assertThat(foreign.err())
        .contains("exists with key schema [partition id (N)]")
        .contains("partition transactionId (S)");
    var shadow = local.dynamoDb().describeTable(b -> b.tableName(source + "-backfill")).table();
    assertThat(shadow.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(shadow.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_IMAGE");
  }

  @Test
  void copyRefusesUntilTheLiveMappingIsConfirmedThenCopiesWithExactCounts() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("cli-copy"));
    local.writeItems(source, 9, 1_234);
    local.enableStream(source);
    cli("create-shadow", "--source", source);
    String checkpoint = dir.resolve("cp.json").toString();

    CliRun refused =
        cli(
            "copy",
            "--source",
            source,
            "--shadow",
            source + "-backfill",
            "--checkpoint",
            checkpoint);
    CliRun noCheckpoint =
        cli(
            "copy",
            "--source",
            source,
            "--shadow",
            source + "-backfill",
            "--checkpoint",
            checkpoint,
            "--resume",
            "--live-mapping-confirmed");
    CliRun copy =
        cli(
            "copy",
            "--source",
            source,
            "--shadow",
            source + "-backfill",
            "--checkpoint",
            checkpoint,
            "--live-mapping-confirmed",
            "--segments",
            "3",
            "--rate",
            "0",
            "--page-size",
            "100");
    CliRun again =
        cli(
            "copy",
            "--source",
            source,
            "--shadow",
            source + "-backfill",
            "--checkpoint",
            checkpoint,
            "--live-mapping-confirmed",
            "--segments",
            "3",
            "--resume");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--live-mapping-confirmed");
    assertThat(noCheckpoint.exitCode()).isEqualTo(2);
    assertThat(noCheckpoint.err()).contains("no checkpoint");
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    assertThat(copy.lastLine())
        .startsWith("COPY complete=true copied=1234 copied_before=0 scanned=1234 written=1234");
    assertThat(again.out()).contains("nothing to do");
    assertThat(Files.getPosixFilePermissions(Path.of(checkpoint))).hasSize(2);
  }

  @Test
  void attachAndDetachPrintTheAwsCliCommandsWithTheLiveMappingSettings() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("attach"));
    cli("create-shadow", "--source", source);
    Path stage = dir.resolve("test.env");
    Files.writeString(stage, "BatchSize=500\nMaximumRetryAttempts=3\n");

    CliRun attach =
        cli(
            "attach",
            "--shadow",
            source + "-backfill",
            "--stage",
            "test",
            "--stage-file",
            stage.toString());
    CliRun detach =
        cli("detach", "--shadow", source + "-backfill", "--function", "ddb-warehouse-test:live");

    assertThat(attach.exitCode()).as(attach.err()).isZero();
    assertThat(attach.out())
        .contains(
            "aws lambda create-event-source-mapping --function-name ddb-warehouse-test:live --event-source-arn arn:aws:dynamodb")
        .contains(
            "--starting-position TRIM_HORIZON --batch-size 500 --maximum-batching-window-in-seconds 5")
        .contains("--maximum-retry-attempts 3")
        .contains("--function-response-types ReportBatchItemFailures")
        .contains("BackfillStreamArn=");
    assertThat(detach.out())
        .contains("aws lambda list-event-source-mappings")
        .contains("aws lambda delete-event-source-mapping --uuid \"$uuid\"");
  }

  // ---- help, version and routine mistakes (issue 11) ----

  private static final String NO_STACK_FRAME = "\tat ";

  /** A table without a stream and a shadow, for mistakes that need DynamoDB to answer first. */
  private static String plain;

  private static String shadow;

  @BeforeAll
  static void tables() {
    LocalHarness local = LocalHarness.shared();
    plain = local.createSourceWithoutStream(LocalHarness.uniqueName("mistakes"));
    CliRun created = CliRun.of("create-shadow", "--source", plain, "--endpoint-url", endpoint());
    assertThat(created.exitCode()).as(created.err()).isZero();
    shadow = plain + "-backfill";
  }

  private static String endpoint() {
    return LocalHarness.shared().dynamo.endpoint().toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "plan", "create-shadow", "attach", "copy", "verify", "detach", "teardown"})
  void helpListsEveryOptionOfTheCommandAndExitsZero(String command) {
    CommandLine spec =
        BackfillCli.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine target = command.isEmpty() ? spec : spec.getSubcommands().get(command);
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    CliRun help = CliRun.of(args);

    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.err()).isEmpty();
    String usage = help.out();
    List<String> lines = usage.lines().toList();
    String synopsis =
        String.join(
            "\n",
            lines.subList(
                0, 1 + (int) lines.stream().skip(1).takeWhile(l -> l.startsWith(" ")).count()));
    assertThat(usage).startsWith(("Usage: backfill " + command).strip() + " [-hV] ");
    for (OptionSpec option : target.getCommandSpec().options()) {
      String name = option.longestName();
      if (!option.usageHelp() && !option.versionHelp()) {
        assertThat(synopsis).as("synopsis lists " + name).contains(name);
      }
      assertThat(usage)
          .as("options list " + name)
          .containsPattern("(?m)^ +(-\\w, )?" + Pattern.quote(name) + "[= ]");
    }
    assertThat(usage)
        .as("a default wrapped over two lines")
        .doesNotContainPattern("\\(default[^)]*\\n");
    assertThat(usage.lines()).as("usage width 120").allMatch(line -> line.length() <= 120);
  }

  @Test
  void helpKeepsUrlsAndDefaultsWholeAndTheCommandListUncut() {
    String top = CliRun.of("--help").out();
    String copy = CliRun.of("copy", "--help").out();
    String verify = CliRun.of("verify", "--help").out();

    assertThat(top)
        .contains(
            "teardown       Detaches and deletes the shadow table once its stream is drained;")
        .contains("Exit codes: 0 ok;")
        .contains("130 interrupted.");
    assertThat(copy)
        .contains("http://localhost:8000")
        .contains("(default 1000)")
        .contains("(default: .backfill/SOURCE--SHADOW.checkpoint.json)");
    assertThat(verify)
        .contains("(jdbc:postgresql://...)")
        .contains("--mapping=FILE")
        .contains("--hmac-secret-file=FILE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-V", "--version", "plan -V", "teardown --version"})
  void versionPrintsTheProjectVersion(String args) {
    CliRun version = CliRun.of(args.split(" "));

    assertThat(version.exitCode()).isZero();
    assertThat(version.out().strip())
        .matches("backfill( plan| teardown)? \\(ddb-warehouse \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\)");
  }

  static Stream<Arguments> routineMistakes() {
    String pg = "jdbc:postgresql://127.0.0.1:1/warehouse";
    return Stream.of(
        mistake(2, "backfill: name a command: plan, create-shadow, attach, copy"),
        mistake(2, "backfill: Unmatched argument at index 0: 'plna'", "plna"),
        mistake(2, "backfill plan: Missing required option: '--source=TABLE'", "plan", "@"),
        mistake(2, "Unknown option: '--bogus'", "plan", "--source", "T", "--bogus", "@"),
        mistake(
            2, "Invalid value for option '--rate'", "plan", "--source", "T", "--rate", "x", "@"),
        mistake(2, "--rate must be > 0 items/s", "plan", "--source", "T", "--rate", "0", "@"),
        mistake(3, "table no-such-table does not exist", "plan", "--source", "no-such-table", "@"),
        mistake(2, "pass --live-mapping-confirmed", "copy", "--source", "T", "--shadow", "S", "@"),
        mistake(
            2,
            "--segments must be 1..",
            "copy",
            "--source",
            "T",
            "--shadow",
            "S",
            "--segments",
            "0",
            "--live-mapping-confirmed",
            "@"),
        mistake(
            2,
            "source T has no stream",
            "copy",
            "--source",
            "T",
            "--shadow",
            "S",
            "--live-mapping-confirmed",
            "@"),
        mistake(
            2,
            "name the function: --stage STAGE or --function NAME",
            "attach",
            "--shadow",
            "S",
            "@"),
        mistake(
            2,
            "--stage-file /nonexistent/x.env does not exist",
            "attach",
            "--shadow",
            "S",
            "--stage",
            "x",
            "--stage-file",
            "/nonexistent/x.env",
            "@"),
        mistake(
            2,
            "--execute needs --failure-destination",
            "attach",
            "--shadow",
            "S",
            "--function",
            "f",
            "--execute",
            "@"),
        mistake(
            2, "does not look like a shadow", "detach", "--shadow", "T", "--function", "f", "@"),
        mistake(
            2,
            "--jdbc-url must be a jdbc:postgresql: URL",
            "verify",
            "--source",
            "T",
            "--jdbc-url",
            "jdbc:mysql://localhost/w",
            "@",
            "M"),
        mistake(
            3,
            "backfill verify: could not reach the warehouse (SQLSTATE 08001); check --jdbc-url",
            "verify",
            "--source",
            "T",
            "--jdbc-url",
            pg,
            "@",
            "M"),
        mistake(
            2,
            "could not read --db-password-file /nonexistent/pw (NoSuchFileException)",
            "verify",
            "--source",
            "T",
            "--jdbc-url",
            pg,
            "--db-password-file",
            "/nonexistent/pw",
            "@",
            "M"),
        mistake(2, "pass --execute", "teardown", "--shadow", "S", "--jdbc-url", pg, "@"));
  }

  private static Arguments mistake(int exitCode, String message, String... args) {
    return Arguments.of(exitCode, message, List.of(args));
  }

  @ParameterizedTest(name = "{2} -> {0}")
  @MethodSource("routineMistakes")
  void aRoutineMistakeIsOneLineWithItsExitCode(int exitCode, String message, List<String> args) {
    List<String> expanded = new ArrayList<>();
    for (String arg : args) {
      switch (arg) {
        case "@" -> expanded.addAll(List.of("--endpoint-url", endpoint()));
        case "M" -> expanded.addAll(List.of("--mapping", local.mappingFile.toString()));
        case "T" -> expanded.add(plain);
        case "S" -> expanded.add(shadow);
        default -> expanded.add(arg.replace("source T ", "source " + plain + " "));
      }
    }

    CliRun run = CliRun.of(expanded.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(message.replace("source T ", "source " + plain + " "));
    assertThat(run.err()).doesNotContain(NO_STACK_FRAME);
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine() {
    CliRun run = cli("plan", "--source", "no-such-table", "--verbose");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err().lines().findFirst())
        .hasValueSatisfying(line -> assertThat(line).contains("does not exist"));
    assertThat(run.err()).contains(NO_STACK_FRAME);
  }

  /** A shell with no AWS settings at all: no region, no credentials, no ~/.aws, no instance. */
  private Map<String, String> bareShell(String... more) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("HOME", dir.toString());
    env.put("PATH", System.getenv("PATH"));
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void planWithoutARegionSaysSoInOneLine() {
    CliRun plan = CliRun.process(bareShell(), "plan", "--source", "transactions");

    assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
    assertThat(plan.out()).isEmpty();
    assertThat(plan.err())
        .isEqualTo("backfill plan: no AWS region configured (set AWS_REGION or --region)\n");
  }

  @Test
  void missingCredentialsAreOneLineWithoutTheProviderChain() {
    CliRun flag =
        CliRun.process(bareShell(), "plan", "--source", "transactions", "--region", "eu-west-1");
    CliRun profile =
        CliRun.process(
            bareShell("AWS_REGION", "eu-west-1", "AWS_PROFILE", "nobody"),
            "plan",
            "--source",
            "transactions");

    for (CliRun run : List.of(flag, profile)) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
      assertThat(run.err())
          .isEqualTo(
              "backfill plan: no AWS credentials found (set AWS_PROFILE,"
                  + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run on an instance with a role)\n");
    }
  }
}
