package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamHandlerIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private final List<BatchReport> reports = new ArrayList<>();
  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    handler = handler(Map.of());
  }

  private StreamHandler handler(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(TestKeys.environment(DB.writerEnvironment()));
    env.putAll(extra);
    BatchObserver observer = reports::add;
    return StreamHandler.fromEnvironment(env, observer);
  }

  private StreamsEventResponse run(StreamEvents events) {
    return Invocations.invoke(handler, events, null);
  }

  @Test
  void storesTypedPseudonymisedRowMatchingTheFormatV1TestVectors() throws SQLException {
    TransactionItem item =
        TransactionItem.of("t-1")
            .s("userId", "user-123")
            .s("accountId", "acc-0001")
            .s("email", "  Alice@Example.COM ")
            .s("counterpartyIban", "de89 3704 0044 0532 0130 00")
            .s("phone", "+49 (151) 1234-5678")
            .put("tags", Map.of("SS", List.of("weekday", "coffee")));

    StreamsEventResponse response = run(StreamEvents.startingAt(1).insert(item));

    assertThat(response.getBatchItemFailures()).isEmpty();
    Map<String, Object> row = single("SELECT * FROM bi.transactions WHERE transaction_id = 't-1'");
    assertThat(row)
        .containsEntry(
            "user_pseudonym", "e5455e6644aea9e61cf6be8cb0da6365a955423a8433c56d56987cdde263b9e7")
        .containsEntry(
            "account_pseudonym", "37acc2ead2bfe8de91998e02ffe0361f728a7bd52ca5826ea049619da7d90fa3")
        .containsEntry(
            "email_pseudonym", "c89de65dbbe2070217a4f4e9ffec5f85cfa15653f1bfd31285e9ce87175633b4")
        .containsEntry(
            "counterparty_pseudonym",
            "51cd27b081b3e6c932479c1d2d6f4527973b14a0462bee35742e1fb1164302c4")
        .containsEntry(
            "phone_pseudonym", "3516b8803d5aa87c157ea88fb7c54644142a7e0fdf3e5ed90b1b1496d85ca82c")
        .containsEntry("ip_network", "203.0.113.0/24")
        .containsEntry("currency", "EUR")
        .containsEntry("country", "DE")
        .containsEntry("merchant_category_code", "5814")
        .containsEntry("key_version", "v1")
        .containsEntry("tags", "{coffee,weekday}");
    assertThat(row.get("amount"))
        .as("exact, with the source's scale")
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(row.get("created_at").toString()).startsWith("2026-01-01 10:00:00");
    assertThat(reports)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.committed()).isTrue();
              assertThat(r.upserted()).isEqualTo(1);
              assertThat(r.droppedAttributes()).containsOnlyKeys("counterpartyName", "metadata");
            });
  }

  @Test
  void replayingBatchesAnyNumberOfTimesLeavesTheWarehouseUnchanged() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 = v1.copy().s("status", "SETTLED").s("updatedAt", "2026-01-01T11:00:00Z");
    StreamEvents batch =
        StreamEvents.startingAt(10).insert(v1).modify(v1, v2).insert(TransactionItem.of("t-2"));

    run(batch);
    List<Map<String, Object>> before =
        rows("SELECT * FROM warehouse.transactions ORDER BY transaction_id");
    run(batch);
    run(StreamEvents.startingAt(10).insert(v1));
    run(batch);

    assertThat(rows("SELECT * FROM warehouse.transactions ORDER BY transaction_id"))
        .isEqualTo(before);
    assertThat(single("SELECT status FROM bi.transactions WHERE transaction_id = 't-1'"))
        .containsEntry("status", "SETTLED");
  }

  @Test
  void olderImageArrivingAfterNewerOneIsIgnored() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 = v1.copy().s("status", "SETTLED").s("updatedAt", "2026-01-02T00:00:00Z");

    run(StreamEvents.startingAt(1).modify(v1, v2));
    run(
        StreamEvents.startingAt(
                2, "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/x")
            .insert(v1));

    assertThat(single("SELECT status, updated_at::text AS u FROM bi.transactions"))
        .containsEntry("status", "SETTLED");
  }

  @Test
  void updateThatKeepsUpdatedAtIsAppliedInStreamOrder() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 =
        v1.copy().s("status", "SETTLED"); // same updatedAt: the sequence number decides

    run(StreamEvents.startingAt(1).insert(v1));
    run(StreamEvents.startingAt(2).modify(v1, v2));
    run(StreamEvents.startingAt(1).insert(v1)); // replay of the older record

    assertThat(single("SELECT status FROM bi.transactions")).containsEntry("status", "SETTLED");
  }

  @Test
  void deleteHidesTheRowAndAReplayedInsertNeverBringsItBack() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    run(StreamEvents.startingAt(1).insert(v1));
    run(StreamEvents.startingAt(2).remove(v1));

    run(StreamEvents.startingAt(1).insert(v1));
    run(StreamEvents.startingAt(1).insert(v1).remove(v1));

    assertThat(count("SELECT count(*) FROM bi.transactions")).isZero();
    assertThat(single("SELECT deleted_at IS NOT NULL AS deleted FROM warehouse.transactions"))
        .containsEntry("deleted", true);
  }

  @Test
  void itemWrittenAgainAfterItsDeleteIsLiveAgain() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    // Within a day of the records' stamps (2026-01-01): later versions would be implausible.
    TransactionItem again =
        v1.copy().s("createdAt", "2026-01-01T20:00:00Z").s("updatedAt", "2026-01-01T20:00:00Z");

    run(StreamEvents.startingAt(1).insert(v1).remove(v1).insert(again));

    assertThat(
            single(
                "SELECT to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI') AS t FROM bi.transactions"))
        .containsEntry("t", "20:00");
  }

  private static final String SHADOW_STREAM =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/x";

  @Test
  void keysOnlyRemoveInTheSameSecondAsTheLastModifyDeletesAcrossBatches() throws SQLException {
    // Records 1, 2 are stamped 00:00:01 and 00:00:02 (whole seconds, as DynamoDB does); the
    // MODIFY's own updatedAt is later in that second than the REMOVE's stamp.
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 =
        v1.copy().s("status", "DECLINED").s("updatedAt", "2026-01-01T00:00:02.700Z");
    run(StreamEvents.startingAt(1).modify(v1, v2));
    run(StreamEvents.startingAt(2).removeKeysOnly(v2));

    assertThat(count("SELECT count(*) FROM bi.transactions")).isZero();
    assertThat(reports.get(reports.size() - 1).deleted()).isEqualTo(1);
  }

  @Test
  void liveRemoveWinsOverAShadowImageWrittenEarlierInItsSecond() throws SQLException {
    TransactionItem v2 = TransactionItem.of("t-1").s("updatedAt", "2026-01-01T00:00:02.700Z");
    run(StreamEvents.startingAt(1, SHADOW_STREAM).insert(v2));
    run(StreamEvents.startingAt(2).removeKeysOnly(v2));

    assertThat(count("SELECT count(*) FROM bi.transactions")).isZero();
  }

  @Test
  void shadowImageRevivesALiveDeleteOnlyWhenNewerThanTheDelete() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1").s("updatedAt", "2026-01-01T00:00:01Z");
    run(StreamEvents.startingAt(1).insert(v1));
    run(StreamEvents.startingAt(2).remove(v1)); // stamped 00:00:02

    run(StreamEvents.startingAt(7, SHADOW_STREAM).insert(v1.copy().s("status", "COPIED_BEFORE")));
    assertThat(count("SELECT count(*) FROM bi.transactions"))
        .as("a copy of the image the delete removed")
        .isZero();

    TransactionItem again =
        v1.copy().s("status", "WRITTEN_AGAIN").s("updatedAt", "2026-01-01T00:00:03Z");
    run(StreamEvents.startingAt(8, SHADOW_STREAM).insert(again));
    assertThat(single("SELECT status FROM bi.transactions"))
        .as("the item was written again after the delete")
        .containsEntry("status", "WRITTEN_AGAIN");
  }

  @Test
  void deleteSeenBeforeAnyImageLeavesATombstoneThatOlderImagesCannotRevive() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    run(StreamEvents.startingAt(5).remove(v1));
    run(StreamEvents.startingAt(1).insert(v1));

    assertThat(count("SELECT count(*) FROM bi.transactions")).isZero();
  }

  @Test
  void ttlExpiryIsIgnoredByDefaultAndSoftDeletesWhenConfigured() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem v2 = TransactionItem.of("t-2");
    run(StreamEvents.startingAt(1).insert(v1).insert(v2));

    run(StreamEvents.startingAt(3).ttlRemove(v1));
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(2);
    assertThat(reports.get(reports.size() - 1).ignored()).isEqualTo(1);

    handler = handler(Map.of("TTL_DELETES", "soft-delete"));
    run(StreamEvents.startingAt(4).ttlRemove(v2));
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(1);
  }

  @Test
  void poisonRecordsAreQuarantinedWithoutTheirValuesAndTheBatchGoesOn() throws SQLException {
    StreamEvents batch =
        StreamEvents.startingAt(1)
            .insert(TransactionItem.of("good-1"))
            .insert(TransactionItem.of("bad-currency").s("currency", "EURO"))
            .insert(TransactionItem.of("no-user").without("userId"))
            .insert(TransactionItem.of("inexact").n("amount", "0.123456789"))
            .insert(TransactionItem.of("bad-date").s("createdAt", "01/02/2026"))
            .insert(TransactionItem.of("wrong-type").s("amount", "12.50"))
            .insert(TransactionItem.of("bad-ip").s("ipAddress", "not-an-ip.example"))
            .insert(TransactionItem.of("good-2"));

    StreamsEventResponse response = run(batch);
    run(batch); // a replay must not quarantine twice

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(2);
    Map<String, String> codes = new LinkedHashMap<>();
    for (Map<String, Object> q :
        rows(
            "SELECT source_key->>'transaction_id' AS transaction_id, error_code, attribute, message FROM etl.quarantine ORDER BY id")) {
      codes.put((String) q.get("transaction_id"), q.get("error_code") + "/" + q.get("attribute"));
      assertThat((String) q.get("message"))
          .contains((String) q.get("attribute"))
          .doesNotContain("EURO", "0.123456789", "01/02/2026", "not-an-ip");
    }
    assertThat(codes)
        .containsExactly(
            Map.entry("bad-currency", "INVALID_CURRENCY/currency"),
            Map.entry("no-user", "MISSING_ATTRIBUTE/userId"),
            Map.entry("inexact", "AMOUNT_NOT_EXACT/amount"),
            Map.entry("bad-date", "INVALID_TIMESTAMP/createdAt"),
            Map.entry("wrong-type", "WRONG_TYPE/amount"),
            Map.entry("bad-ip", "INVALID_IP_ADDRESS/ipAddress"));
  }

  @Test
  void tenThousandRecordBatchIsOneTransaction() throws SQLException {
    StreamEvents batch = StreamEvents.startingAt(1);
    for (int i = 0; i < 10_000; i++)
      batch.insert(TransactionItem.of("t-" + i).s("userId", "u-" + (i % 700)));

    StreamsEventResponse response = run(batch);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(10_000);
    assertThat(count("SELECT count(DISTINCT user_pseudonym) FROM bi.transactions")).isEqualTo(700);
  }

  @Test
  void rowsTheDatabaseRefusesAreQuarantinedOnBothPathsAndTheRestCommits() throws SQLException {
    // A constraint this code does not mirror: the rows pass validation, the database refuses them.
    DB.execute(
        "ALTER TABLE warehouse.transactions ADD CONSTRAINT it_refused CHECK (merchant_name IS DISTINCT FROM 'Refused Ltd')");
    try {
      TransactionItem stored = TransactionItem.of("t-1");
      run(StreamEvents.startingAt(1).insert(stored));
      TransactionItem refusedUpdate =
          stored.copy().s("merchantName", "Refused Ltd").s("updatedAt", "2026-01-02T00:00:00Z");
      StreamEvents batch =
          StreamEvents.startingAt(2)
              .modify(stored, refusedUpdate) // guarded path
              .insert(
                  TransactionItem.of("t-2").s("merchantName", "Refused Ltd")) // direct COPY path
              .insert(TransactionItem.of("t-3"))
              .modify(TransactionItem.of("t-4"), TransactionItem.of("t-4").s("status", "SETTLED"));

      StreamsEventResponse response = run(batch);
      StreamsEventResponse replay = run(batch);

      assertThat(response.getBatchItemFailures()).isEmpty();
      assertThat(replay.getBatchItemFailures()).isEmpty();
      assertThat(
              rows("SELECT transaction_id, merchant_name, status FROM bi.transactions ORDER BY 1"))
          .as("t-1 keeps its stored image; the refused insert is absent; the others are written")
          .containsExactly(
              Map.of(
                  "transaction_id", "t-1", "merchant_name", "Coffee Corner", "status", "PENDING"),
              Map.of(
                  "transaction_id", "t-3", "merchant_name", "Coffee Corner", "status", "PENDING"),
              Map.of(
                  "transaction_id", "t-4", "merchant_name", "Coffee Corner", "status", "SETTLED"));
      assertThat(
              rows(
                  "SELECT source_key->>'transaction_id' AS transaction_id, error_code, message FROM etl.quarantine ORDER BY 1"))
          .extracting(r -> r.get("transaction_id") + "/" + r.get("error_code"))
          .containsExactly("t-1/REJECTED_BY_WAREHOUSE", "t-2/REJECTED_BY_WAREHOUSE");
      assertThat(rows("SELECT message FROM etl.quarantine"))
          .allSatisfy(r -> assertThat(r.get("message").toString()).doesNotContain("Refused"));
    } finally {
      DB.execute("ALTER TABLE warehouse.transactions DROP CONSTRAINT it_refused");
    }
  }

  @Test
  void insertRacingAnotherWriterOfTheSameIdFallsBackToTheVersionGuard() throws Exception {
    // Another writer (the backfill stream's function) inserts t-1 after the probe found no row:
    // the direct COPY waits on its uncommitted key, fails once it commits, and the batch must
    // take the guarded path instead of losing the image or quarantining it.
    try (Connection racer = DB.adminConnection();
        Statement s = racer.createStatement()) {
      racer.setAutoCommit(false);
      s.executeUpdate(
          """
          INSERT INTO warehouse.transactions (transaction_id, user_pseudonym, amount, currency, status, created_at,
            key_version, source_version, source_stream, source_sequence, ingested_at)
          VALUES ('t-1', 'racer', 1, 'EUR', 'RACER', '2025-01-01Z', 'v1', '2025-01-01Z', 'racer', 1, now())
          """);
      var racerCommitted =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> commitOnceTheEtlWaitsForALock(racer));

      StreamsEventResponse response =
          run(
              StreamEvents.startingAt(1)
                  .insert(TransactionItem.of("t-1"))
                  .insert(TransactionItem.of("t-2")));

      assertThat(racerCommitted.get())
          .as("the ETL's COPY waited on the racer's uncommitted key")
          .isTrue();
      assertThat(response.getBatchItemFailures()).isEmpty();
    }
    assertThat(rows("SELECT transaction_id, status FROM bi.transactions ORDER BY 1"))
        .as("the newer image replaced the racer's older row; nothing lost")
        .containsExactly(
            Map.of("transaction_id", "t-1", "status", "PENDING"),
            Map.of("transaction_id", "t-2", "status", "PENDING"));
    assertThat(count("SELECT count(*) FROM etl.quarantine")).isZero();
  }

  /** True when the ETL was seen waiting for the racer's row lock before the racer committed. */
  private static boolean commitOnceTheEtlWaitsForALock(Connection racer) {
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      boolean waiting = false;
      while (!waiting && System.nanoTime() < deadline) {
        waiting =
            count(
                    "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE application_name = 'ddb-warehouse-etl' AND wait_event_type = 'Lock'")
                > 0;
        if (!waiting) Thread.sleep(20);
      }
      racer.commit();
      return waiting;
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void unreachableDatabaseReportsTheFirstRecordForRetry() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    handler =
        handler(
            Map.of(
                "WAREHOUSE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres"));

    StreamsEventResponse response =
        run(
            StreamEvents.startingAt(42)
                .insert(TransactionItem.of("t-1"))
                .insert(TransactionItem.of("t-2")));

    assertThat(response.getBatchItemFailures())
        .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly(StreamEvents.sequence(42));
    assertThat(reports).singleElement().satisfies(r -> assertThat(r.committed()).isFalse());
  }

  @Test
  void reconnectsWhenTheDatabaseDroppedItsConnection() throws SQLException {
    run(StreamEvents.startingAt(1).insert(TransactionItem.of("t-1")));
    DB.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ddb-warehouse-etl'");

    StreamsEventResponse response =
        run(StreamEvents.startingAt(2).insert(TransactionItem.of("t-2")));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(2);
  }

  @Test
  void rolesGrantExactlyWhatEachAudienceNeeds() throws SQLException {
    run(StreamEvents.startingAt(1).insert(TransactionItem.of("t-1")));

    try (Connection reader = DB.readerConnection();
        Statement s = reader.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM bi.transactions")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM warehouse.transactions"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM etl.quarantine"))
          .hasMessageContaining("permission denied");
    }
    try (Connection writer = DB.writerConnection();
        Statement s = writer.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM warehouse.transactions"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.executeUpdate("TRUNCATE etl.quarantine"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void everyBiColumnIsCommented() throws SQLException {
    List<Map<String, Object>> uncommented =
        rows(
            """
            SELECT c.relname, a.attname FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'bi' AND a.attnum > 0 AND NOT a.attisdropped
              AND col_description(c.oid, a.attnum) IS NULL
            """);
    assertThat(uncommented).isEmpty();
    assertThat(
            rows(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'bi' AND table_name = 'transactions' ORDER BY ordinal_position"))
        .extracting(r -> r.get("column_name"))
        .containsExactly(
            "transaction_id",
            "user_pseudonym",
            "account_pseudonym",
            "counterparty_pseudonym",
            "email_pseudonym",
            "phone_pseudonym",
            "ip_network",
            "amount",
            "currency",
            "type",
            "status",
            "merchant_name",
            "merchant_category_code",
            "country",
            "tags",
            "created_at",
            "updated_at",
            "key_version",
            "ingested_at");
  }

  static Map<String, Object> single(String sql) throws SQLException {
    List<Map<String, Object>> rows = rows(sql);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  static long count(String sql) throws SQLException {
    return ((Number) single(sql).values().iterator().next()).longValue();
  }

  static List<Map<String, Object>> rows(String sql) throws SQLException {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<Map<String, Object>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.put(
              rs.getMetaData().getColumnLabel(i),
              v instanceof java.sql.Array || v instanceof org.postgresql.util.PGobject
                  ? v.toString()
                  : v);
        }
        out.add(row);
      }
      return out;
    }
  }
}
