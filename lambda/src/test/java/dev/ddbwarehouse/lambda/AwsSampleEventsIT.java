package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testsupport.StreamEventFixtures;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance: every real AWS sample event ({@code ../shared/fixtures/aws-stream-events/}, when it
 * is beside the checkout; skipped, saying so, when not), read as the Lambda Java runtime reads it,
 * goes through the handler against a real database. None is a transaction of this project's shape:
 * every record must be quarantined (or, for a TTL expiry, ignored), the batch committed, nothing
 * crash. The project's own fixtures, which always run, are {@link ProjectEventsIT}'s.
 */
class AwsSampleEventsIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private final List<BatchReport> reports = new ArrayList<>();

  static Stream<Named<Path>> fixtures() {
    return StreamEventFixtures.awsSamples().stream();
  }

  @BeforeEach
  void clean() {
    DB.truncateAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyRecordIsQuarantinedOrIgnoredAndTheBatchCommits(Path fixture, @TempDir Path dir)
      throws Exception {
    StreamEventFixtures.assumeAwsSamplesPresent();
    DynamodbEvent event = StreamEvents.parse(fixture);
    // A version 1 document: its one entry takes every source table, as the samples name tables
    // (ExampleTableWithStream, ...) that the built-in entries do not.
    Path mapping = dir.resolve("mapping-v1.json");
    Files.writeString(mapping, "{\"attributes\": {}}");
    Map<String, String> env = new HashMap<>(TestKeys.environment(DB.writerEnvironment()));
    env.put("MAPPING_FILE", mapping.toString());
    StreamHandler handler = StreamHandler.fromEnvironment(env, reports::add);

    StreamsEventResponse response = Invocations.invoke(handler, fixture, null);

    assertThat(event.getRecords()).as("records read from %s", fixture.getFileName()).isNotEmpty();
    assertThat(response.getBatchItemFailures()).isEmpty();
    BatchReport report = reports.get(0);
    assertThat(report.committed()).isTrue();
    assertThat(report.recordsIn()).isEqualTo(event.getRecords().size());
    assertThat(report.quarantined() + report.ignored()).isEqualTo(report.recordsIn());
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM warehouse.transactions")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      // Records with repeated (stream, sequence number, event id) are one record to the quarantine.
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), count(DISTINCT error_code) FILTER (WHERE error_code = 'INTERNAL_ERROR') FROM etl.quarantine")) {
        rs.next();
        assertThat(rs.getLong(1)).isPositive().isLessThanOrEqualTo(report.quarantined());
        assertThat(rs.getLong(2)).as("no record may hit a defect").isZero();
      }
    }
  }
}
