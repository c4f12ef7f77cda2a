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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Updates and deletes made on the source while the copy runs reach the warehouse through the live
 * mapping; the shadow's copies of the older images, processed only afterwards (the worst order),
 * change nothing: the warehouse holds the newest version of every item.
 */
class LiveUpdatesRaceIT {

  private static final int ITEMS = 2_000;
  private static final int UPDATES = 400;

  /** Every tenth live write is a delete. */
  private static final int DELETES = 44;

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
  void liveUpdatesRacingTheBackfillLeaveTheNewestVersionInTheWarehouse() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("race"));
    List<Map<String, AttributeValue>> items = local.writeItems(source, 2_002, ITEMS);
    String liveStream = local.enableStream(source);
    StreamPositions liveRead = new StreamPositions();
    local.poll(liveStream, liveRead);
    LocalHarness.DeferredShadowPoller shadowPoller = local.new DeferredShadowPoller();
    LocalBackfill backfill =
        new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), shadowPoller);

    Thread writer = Thread.ofPlatform().name("live-writer").start(() -> writeLive(source, items));
    LocalBackfill.Loaded loaded =
        backfill.load(LocalHarness.settings(source).withRate(1_000), CopyListener.NONE);
    writer.join();
    local.awaitDrained(liveStream, liveRead, Duration.ofMinutes(1));
    shadowPoller
        .release(); // the copied images arrive after the live ones: the guard must ignore the older
    assertThat(backfill.awaitDrained(loaded, Duration.ofMinutes(1)).drained()).isTrue();

    Map<String, String> source1 = sourceVersions(source);
    assertThat(source1).hasSize(ITEMS - DELETES);
    assertThat(liveWarehouseVersions())
        .as("newest status and version of every item, deleted ones hidden")
        .isEqualTo(source1);
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
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
  }

  /** Status updates with a later updatedAt, and deletes, spread over the copy's duration. */
  private void writeLive(String table, List<Map<String, AttributeValue>> items) {
    Set<Integer> deleted = new HashSet<>();
    for (int i = 0; i < UPDATES + DELETES; i++) {
      int index = (i * 7919) % ITEMS;
      Map<String, AttributeValue> key =
          Map.of("transactionId", items.get(index).get("transactionId"));
      if (i % 10 == 9 && deleted.add(index)) {
        local.dynamoDb().deleteItem(b -> b.tableName(table).key(key));
      } else {
        String later =
            OffsetDateTime.parse(items.get(index).get("updatedAt").s()).plusHours(1).toString();
        local
            .dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(key)
                        .updateExpression("SET #s = :s, updatedAt = :u")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(
                            Map.of(
                                ":s",
                                AttributeValue.fromS("REVERSED"),
                                ":u",
                                AttributeValue.fromS(later))));
      }
      pause(4);
    }
  }

  /** transaction id → status|updatedAt of every item now in the source. */
  private Map<String, String> sourceVersions(String table) {
    Map<String, String> versions = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = local.dynamoDb().scan(b -> b.tableName(table).exclusiveStartKey(from));
      page.items()
          .forEach(
              i ->
                  versions.put(
                      i.get("transactionId").s(),
                      i.get("status").s()
                          + "|"
                          + OffsetDateTime.parse(i.get("updatedAt").s()).toInstant()));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return versions;
  }

  private Map<String, String> liveWarehouseVersions() throws Exception {
    Map<String, String> versions = new HashMap<>();
    try (Connection c = local.warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT transaction_id, status, updated_at FROM bi.transactions")) {
      while (rs.next()) {
        versions.put(
            rs.getString(1),
            rs.getString(2) + "|" + rs.getObject(3, OffsetDateTime.class).toInstant());
      }
    }
    return versions;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
