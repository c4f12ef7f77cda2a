package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The main case: 20,000 items written before the table had a stream reach the warehouse
 * only through the backfill, and the warehouse then equals the source.
 */
class PreexistingItemsBackfillIT {

  private static final int ITEMS = 20_000;

  private final LocalHarness local = LocalHarness.shared();

  @BeforeEach
  void cleanWarehouse() {
    local.warehouse.truncateAll();
  }

  @AfterEach
  void stopPollers() {
    local.stopAll();
  }

  @Test
  void twentyThousandPreexistingItemsReachTheWarehouseThroughTheShadowTable() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("history"));
    List<Map<String, AttributeValue>> written = local.writeItems(source, 20_001, ITEMS);
    String liveStream = local.enableStream(source);
    local.poll(liveStream, new StreamPositions()); // the live mapping exists before the copy starts

    LocalBackfill backfill =
        new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), local.shadowPoller());
    LocalBackfill.Loaded loaded = backfill.load(LocalHarness.settings(source), CopyListener.NONE);
    assertThat(loaded.copy().complete()).isTrue();
    assertThat(loaded.copy().copied()).as("exact count from the checkpoint").isEqualTo(ITEMS);
    assertThat(backfill.awaitDrained(loaded, Duration.ofMinutes(2)).drained()).isTrue();

    assertThat(warehouseRows()).as("warehouse equals source").isEqualTo(expectedRows(written));
    CliRun verify =
        CliRun.of(
            "verify",
            "--source",
            source,
            "--endpoint-url",
            local.dynamo.endpoint().toString(),
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--db-user",
            "etl_test_writer",
            "--db-password-file",
            local.passwordFile().toString(),
            "--mapping",
            local.mappingFile.toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.lastLine())
        .contains("items=20000 present=20000")
        .contains("outdated=0 missing=0");

    backfill.teardown(loaded);
    assertThat(local.dynamoDb().listTables().tableNames()).doesNotContain(loaded.shadow());
  }

  /** transaction id → status|amount|currency|created_at, for live rows only. */
  private Map<String, String> warehouseRows() throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = local.warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT transaction_id, status, amount, currency, created_at, user_pseudonym FROM warehouse.transactions"
                    + " WHERE deleted_at IS NULL")) {
      while (rs.next()) {
        assertThat(rs.getString(6)).as("pseudonymised on the way").hasSize(64);
        rows.put(
            rs.getString(1),
            rs.getString(2)
                + "|"
                + rs.getBigDecimal(3).stripTrailingZeros().toPlainString()
                + "|"
                + rs.getString(4)
                + "|"
                + rs.getObject(5, OffsetDateTime.class).toInstant());
      }
    }
    return rows;
  }

  private static Map<String, String> expectedRows(List<Map<String, AttributeValue>> items) {
    Map<String, String> rows = new HashMap<>();
    for (Map<String, AttributeValue> i : items) {
      rows.put(
          i.get("transactionId").s(),
          i.get("status").s()
              + "|"
              + new java.math.BigDecimal(i.get("amount").n()).stripTrailingZeros().toPlainString()
              + "|"
              + i.get("currency").s()
              + "|"
              + OffsetDateTime.parse(i.get("createdAt").s()).toInstant());
    }
    return rows;
  }
}
