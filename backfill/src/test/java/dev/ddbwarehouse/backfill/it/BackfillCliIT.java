package dev.ddbwarehouse.backfill.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
}
