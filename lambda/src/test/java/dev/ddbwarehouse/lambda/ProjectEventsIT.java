package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testsupport.StreamEventFixtures;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The project's own stream events ({@code fixtures/stream-events/}, always in the repository) go
 * through the real handler, read as the Lambda Java runtime reads them, into a real database; each
 * file's outcome is asserted row by row.
 */
class ProjectEventsIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private final List<BatchReport> reports = new ArrayList<>();

  @BeforeEach
  void clean() {
    DB.truncateAll();
  }

  private BatchReport handle(String fixture) {
    StreamHandler handler =
        StreamHandler.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), reports::add);
    StreamsEventResponse response =
        Invocations.invoke(handler, StreamEventFixtures.project(fixture), null);
    assertThat(response.getBatchItemFailures()).as("batchItemFailures").isEmpty();
    BatchReport report = reports.get(reports.size() - 1);
    assertThat(report.committed()).isTrue();
    assertThat(report.recordsIn())
        .isEqualTo(StreamEvents.parse(StreamEventFixtures.project(fixture)).getRecords().size());
    return report;
  }

  /** transaction_id → "status|live" or "deleted", in id order. */
  private static Map<String, String> rows() throws SQLException {
    Map<String, String> rows = new LinkedHashMap<>();
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT transaction_id, status, deleted_at IS NOT NULL FROM warehouse.transactions"
                    + " ORDER BY transaction_id")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getBoolean(3) ? "deleted" : rs.getString(2) + "|live");
      }
    }
    return rows;
  }

  private static String one(String sql) throws SQLException {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void newAndOldImagesStreamAppliesInsertModifyAndApplicationRemove() throws SQLException {
    BatchReport report = handle("transactions-new-and-old-images.json");

    assertThat(rows())
        .containsExactly(Map.entry("t-1001", "SETTLED|live"), Map.entry("t-1002", "deleted"));
    assertThat(report.quarantined()).isZero();
  }

  @Test
  void newImageStreamRemoveInTheSameSecondAsTheLastModifyWins() throws SQLException {
    handle("transactions-new-image.json");

    assertThat(rows())
        .as(
            "a REMOVE (Keys only) after a MODIFY at 10:00:00.700 in the same second deletes the row")
        .containsExactly(Map.entry("t-2001", "SETTLED|live"), Map.entry("t-2002", "deleted"));
  }

  @Test
  void ttlRemoveIsIgnoredByDefault() throws SQLException {
    BatchReport report = handle("transactions-ttl-remove.json");

    assertThat(report.ignored()).isEqualTo(1);
    assertThat(rows())
        .containsExactly(Map.entry("t-3001", "PENDING|live"), Map.entry("t-3002", "PENDING|live"));
  }

  @Test
  void everyAttributeTypeIsReadAndUnmappedOnesAreDroppedAndCounted() throws SQLException {
    BatchReport report = handle("transactions-all-attribute-types.json");

    assertThat(report.upserted()).isEqualTo(1);
    assertThat(one("SELECT amount::text FROM warehouse.transactions"))
        .isEqualTo("1234567.89012345");
    assertThat(
            one(
                "SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM warehouse.transactions"))
        .as("createdAt given as epoch milliseconds")
        .isEqualTo("1796032798123");
    assertThat(one("SELECT array_to_string(tags, ',') FROM warehouse.transactions"))
        .isEqualTo("card,contactless");
    assertThat(report.droppedAttributes())
        .containsKeys(
            "receipt",
            "receiptPages",
            "flagged",
            "reviewedBy",
            "history",
            "limits",
            "labels",
            "nested",
            "metadata",
            "counterpartyName");
  }

  @Test
  void eachDefectiveRecordIsQuarantinedWithItsCodeAndTheValidOneIsWritten() throws SQLException {
    BatchReport report = handle("transactions-quarantined.json");

    assertThat(report.quarantinedByCode())
        .containsOnly(
            Map.entry("MISSING_ATTRIBUTE", 1),
            Map.entry("INVALID_CURRENCY", 1),
            Map.entry("AMOUNT_NOT_EXACT", 1),
            Map.entry("INVALID_TIMESTAMP", 1),
            Map.entry("INVALID_IP_ADDRESS", 1),
            Map.entry("WRONG_TYPE", 1));
    assertThat(rows()).containsExactly(Map.entry("t-5007", "PENDING|live"));
    assertThat(
            one(
                "SELECT string_agg((source_key->>'transaction_id') || ':' || error_code || ':' || coalesce(attribute, ''),"
                    + " ' ' ORDER BY source_key->>'transaction_id') FROM etl.quarantine"))
        .isEqualTo(
            "t-5001:MISSING_ATTRIBUTE:amount t-5002:INVALID_CURRENCY:currency"
                + " t-5003:AMOUNT_NOT_EXACT:amount t-5004:INVALID_TIMESTAMP:createdAt"
                + " t-5005:INVALID_IP_ADDRESS:ipAddress t-5006:WRONG_TYPE:userId");
  }
}
