package dev.ddbwarehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchTelemetryTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final BatchTelemetry telemetry =
      new BatchTelemetry(
          new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8), clock), clock, "fn");

  private static BatchReport report(boolean committed) {
    return new BatchReport(
        10_000,
        9_990,
        5,
        0,
        5,
        Map.of("INVALID_CURRENCY", 5),
        Map.of(),
        committed,
        1_000_000,
        List.of());
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    return lines;
  }

  @Test
  void rolledBackBatchClaimsNoWritesOnlyWhatWasAttempted() throws Exception {
    BatchOutcome outcome =
        new BatchOutcome(
            Optional.of("000000000000000000001"),
            report(false),
            List.of(),
            Optional.of("warehouse write not committed (SQLSTATE 08006)"));

    telemetry.record(outcome, "000000000000000000001", "000000000000000010000", null);

    JsonNode line = lines().get(0);
    assertThat(line.get("message").asText())
        .isEqualTo("batch not committed; Lambda retries from retryFrom");
    assertThat(line.has("upserted") || line.has("deleted") || line.has("quarantined"))
        .as("no outcome counts for a batch that wrote nothing: %s", line)
        .isFalse();
    assertThat(line.get("rolledBack").asBoolean()).isTrue();
    assertThat(line.get("attemptedUpserts").asInt()).isEqualTo(9_990);
    assertThat(line.get("attemptedDeletes").asInt()).isEqualTo(5);
    assertThat(line.get("attemptedQuarantine").asInt()).isEqualTo(5);
    assertThat(line.get("retryFrom").asText()).isEqualTo("000000000000000000001");
  }

  @Test
  void committedBatchLogsItsOutcomes() throws Exception {
    BatchOutcome outcome =
        new BatchOutcome(Optional.empty(), report(true), List.of(), Optional.empty());

    telemetry.record(outcome, "000000000000000000001", "000000000000000010000", null);

    JsonNode line = lines().get(0);
    assertThat(line.get("message").asText()).isEqualTo("batch committed");
    assertThat(line.get("upserted").asInt()).isEqualTo(9_990);
    assertThat(line.get("deleted").asInt()).isEqualTo(5);
    assertThat(line.get("quarantined").asInt()).isEqualTo(5);
    assertThat(line.has("rolledBack")).isFalse();
  }
}
