package dev.ddbwarehouse.backfill.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingCommandsTest {

  private static final String ARN =
      "arn:aws:dynamodb:eu-central-1:123456789012:table/tx-backfill/stream/2026-01-01T00:00:00.000";

  @Test
  void attachCopiesTheLiveMappingsSettingsAndReadsFromTheStart() {
    String line =
        MappingCommands.shellLine(
            MappingCommands.create(
                "ddb-warehouse-prod:live",
                ARN,
                new LiveMappingSettings(500, 2, 7, 3600),
                "arn:aws:sqs:eu-central-1:1:q",
                "eu-central-1"));

    assertThat(line)
        .isEqualTo(
            "aws lambda create-event-source-mapping --function-name ddb-warehouse-prod:live --event-source-arn "
                + ARN
                + " --starting-position TRIM_HORIZON --batch-size 500 --maximum-batching-window-in-seconds 2"
                + " --bisect-batch-on-function-error --maximum-retry-attempts 7 --maximum-record-age-in-seconds 3600"
                + " --function-response-types ReportBatchItemFailures"
                + " --destination-config 'OnFailure={Destination=arn:aws:sqs:eu-central-1:1:q}' --region eu-central-1");
  }

  @Test
  void readsTheStageFileAndFallsBackToTheTemplateDefaults(@TempDir Path dir) throws Exception {
    Path stage = dir.resolve("prod.env");
    Files.writeString(stage, "# comment\nBatchSize=2500\nStreamArn=arn:x\n");

    assertThat(LiveMappingSettings.fromStageFile(stage))
        .isEqualTo(new LiveMappingSettings(2500, 5, 10, 86_400));
  }

  @Test
  void quotesWhatAShellWouldSplit() {
    assertThat(MappingCommands.quote("a b")).isEqualTo("'a b'");
    assertThat(MappingCommands.quote("it's")).isEqualTo("'it'\"'\"'s'");
    assertThat(MappingCommands.quote("ddb-warehouse-prod:live"))
        .isEqualTo("ddb-warehouse-prod:live");
  }
}
