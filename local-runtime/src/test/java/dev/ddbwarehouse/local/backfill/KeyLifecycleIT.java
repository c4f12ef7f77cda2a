package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.core.erasure.SubjectRequest;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.local.cli.GdprInProcess;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import dev.ddbwarehouse.sink.jooq.SubjectStore;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The key lifecycle on the local runtime, as an operator runs it: history reaches the warehouse
 * under v1 through the live stream; {@code gdpr.sh rotate-key} makes v2 active and the function
 * moves to the new ring; {@code key-status} shows what is left on v1; a backfill copy through the
 * shadow table re-keys it (live updates racing the copy keep their newer version); then {@code
 * retire-key} lets v1 go, with the eraser's login only, and only when no live row and no erasure
 * still needs it.
 *
 * <p>Joins across tables under the new version are covered by the lambda module's {@code RekeyIT}:
 * the harness's mapping sends every table to transactions, so there is no second table to join
 * here.
 */
class KeyLifecycleIT {

  private static final Duration DRAIN = Duration.ofMinutes(1);
  private static final int ITEMS = 200;
  private static final int UPDATED_IN_HISTORY = 20;
  private static final int DELETED_IN_HISTORY = 5;
  private static final int RACING_UPDATES = 40;

  private final LocalHarness local = LocalHarness.shared();

  /** This test's own ring: the harness's shared one stays v1 for the other ITs of this JVM. */
  private final Path keyFile = LocalHarness.newKeyFile();

  /**
   * The function behind the live stream, as one long-lived mapping sees it: an execution
   * environment on the old ring until the rotation, then one on the new ring.
   */
  private final AtomicReference<StreamBatchFunction> live = new AtomicReference<>();

  @BeforeEach
  void cleanWarehouse() {
    local.warehouse.truncateAll();
    live.set(local.functionFor(keyFile));
  }

  @AfterEach
  void stopPollers() {
    local.stopAll();
  }

  @Test
  void aRotationRekeyedByABackfillLetsTheOldVersionRetire() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("keys"));
    String liveStream = local.enableStream(source);
    StreamPositions liveRead = new StreamPositions();
    local.poll(liveStream, liveRead, event -> live.get().invoke(event));
    List<Map<String, AttributeValue>> items = local.writeItems(source, 4_242, ITEMS);
    // History: later versions of some items, and deletes (tombstones under v1).
    for (int i = 0; i < UPDATED_IN_HISTORY; i++) laterVersion(source, items.get(i), "REVERSED", 1);
    for (int i = 0; i < DELETED_IN_HISTORY; i++) delete(source, items.get(ITEMS - 1 - i));
    local.awaitDrained(liveStream, liveRead, DRAIN);
    int alive = ITEMS - DELETED_IN_HISTORY;
    assertThat(query("SELECT key_version, count(*) FROM warehouse.transactions GROUP BY 1"))
        .containsExactly(List.of("v1", String.valueOf(ITEMS)));

    GdprInProcess.Run rotated = gdpr("rotate-key", "--hmac-secret-file", keyFile.toString());
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    assertThat(rotated.out().strip()).isEqualTo("rotated: active=v2 versions=v1,v2 suppression=v1");
    KeyRing v2Ring = ring();
    assertThat(v2Ring.activeVersion()).isEqualTo("v2");
    assertThat(v2Ring.suppressionVersion()).isEqualTo("v1");
    live.set(local.functionFor(keyFile));

    assertThat(keyStatus())
        .containsExactly(
            "table=warehouse.transactions key_version=v1 live="
                + alive
                + " deleted="
                + DELETED_IN_HISTORY,
            "SUMMARY active=v2 suppression=v1 live_rows_not_on_active=" + alive);
    String ringBefore = Files.readString(keyFile);
    GdprInProcess.Run early = retire("v1", TestWarehouse.ERASER_USER);
    assertThat(early.exitCode()).as(early.err()).isEqualTo(1);
    assertThat(early.err())
        .contains(
            alive
                + " live rows still carry key version v1 (warehouse.transactions="
                + alive
                + "): re-key them first");
    GdprInProcess.Run active = retire("v2", TestWarehouse.ERASER_USER);
    assertThat(active.exitCode()).as(active.err()).isEqualTo(2);
    assertThat(active.err()).contains("key version v2 is the active one");
    assertThat(Files.readString(keyFile)).as("refusals leave the ring").isEqualTo(ringBefore);

    // The re-key, with live updates of the items racing the copy; the copy's images are handled
    // only after the live ones (the worst order: older images meeting rows already on v2).
    LocalHarness.DeferredShadowPoller shadowPoller =
        local.new DeferredShadowPoller(local.functionFor(keyFile));
    LocalBackfill backfill =
        new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), shadowPoller);
    Thread writer =
        Thread.ofPlatform()
            .name("live-writer")
            .start(
                () -> {
                  for (int i = 0; i < RACING_UPDATES; i++) {
                    // Items 0..19 already had a later version: these get a third.
                    laterVersion(source, items.get(i * 3), "DISPUTED", 2);
                    pause(25);
                  }
                });
    LocalBackfill.Loaded loaded =
        backfill.load(LocalHarness.settings(source).withRate(200), CopyListener.NONE);
    writer.join();
    assertThat(loaded.copy().complete()).isTrue();
    assertThat(loaded.copy().copied()).isEqualTo(alive);
    local.awaitDrained(liveStream, liveRead, DRAIN);
    shadowPoller.release();
    assertThat(backfill.awaitDrained(loaded, DRAIN).drained()).isTrue();

    assertThat(keyStatus())
        .containsExactly(
            "table=warehouse.transactions key_version=v1 live=0 deleted=" + DELETED_IN_HISTORY,
            "table=warehouse.transactions key_version=v2 live=" + alive + " deleted=0",
            "SUMMARY active=v2 suppression=v1 live_rows_not_on_active=0");
    assertThat(liveRows())
        .as("every live row: the newest version of its item, pseudonyms under v2")
        .isEqualTo(expectedRows(source, new Pseudonymiser(v2Ring)));

    GdprInProcess.Run writerLogin = retire("v1", TestWarehouse.WRITER_USER);
    assertThat(writerLogin.exitCode()).as(writerLogin.err()).isEqualTo(3);
    assertThat(writerLogin.err()).contains("needs the etl_eraser role");
    assertThat(Files.readString(keyFile)).isEqualTo(ringBefore);

    GdprInProcess.Run retired = retire("v1", TestWarehouse.ERASER_USER);
    assertThat(retired.exitCode()).as(retired.err()).isZero();
    assertThat(retired.out().strip())
        .isEqualTo(
            "retired: version=v1 released_deleted_rows=" + DELETED_IN_HISTORY + " suppression=v2");
    KeyRing after = ring();
    assertThat(after.versions()).containsExactly("v2");
    assertThat(after.activeVersion()).isEqualTo("v2");
    assertThat(after.suppressionVersion()).isEqualTo("v2");
    assertThat(keyStatus())
        .as("the tombstones keep guarding their keys, linked to no one")
        .containsExactly(
            "table=warehouse.transactions key_version=v2 live=" + alive + " deleted=0",
            "table=warehouse.transactions key_version=none live=0 deleted=" + DELETED_IN_HISTORY,
            "SUMMARY active=v2 suppression=v2 live_rows_not_on_active=0");

    // A function on the retired ring (v2 only) goes on writing the same pseudonyms.
    live.set(local.functionFor(keyFile));
    laterVersion(source, items.get(1), "SETTLED", 3);
    local.awaitDrained(liveStream, liveRead, DRAIN);
    assertThat(liveRows()).isEqualTo(expectedRows(source, new Pseudonymiser(after)));

    // A version that never was the suppression one, and no row uses: still the eraser's to retire
    // (the writer could make the release's updates itself).
    for (int i = 0; i < 2; i++) {
      assertThat(gdpr("rotate-key", "--hmac-secret-file", keyFile.toString()).exitCode()).isZero();
    }
    String ringV2V3V4 = Files.readString(keyFile);
    GdprInProcess.Run writerV3 = retire("v3", TestWarehouse.WRITER_USER);
    assertThat(writerV3.exitCode()).as(writerV3.err()).isEqualTo(3);
    assertThat(writerV3.err()).contains("needs the etl_eraser role");
    assertThat(Files.readString(keyFile)).isEqualTo(ringV2V3V4);
    GdprInProcess.Run v3 = retire("v3", TestWarehouse.ERASER_USER);
    assertThat(v3.exitCode()).as(v3.err()).isZero();
    assertThat(v3.out().strip())
        .isEqualTo("retired: version=v3 released_deleted_rows=0 suppression=v2");
    assertThat(ring().versions()).containsExactlyInAnyOrder("v2", "v4");
    backfill.teardown(loaded);
  }

  @Test
  void anErasureBeforeTheRotationStaysAndKeepsTheOldVersionInTheRing() throws Exception {
    String subject = "user-x";
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("keys-erasure"));
    String liveStream = local.enableStream(source);
    StreamPositions liveRead = new StreamPositions();
    local.poll(liveStream, liveRead, event -> live.get().invoke(event));
    for (int i = 1; i <= 3; i++) {
      put(source, item("s-" + i, subject, i + "0.25", "2026-01-01T10:00:0" + i + "Z"));
    }
    for (int i = 0; i < 9; i++) {
      put(source, item("o-" + i, "user-" + (i % 3), i + ".50", "2026-01-02T10:00:00Z"));
    }
    local.awaitDrained(liveStream, liveRead, DRAIN);

    KeyRing v1Ring = ring();
    try (Connection eraser = local.warehouse.eraserConnection()) {
      SubjectStore.ErasureReport report =
          new SubjectStore(
                  MappingDocument.parse(
                      Files.readString(local.mappingFile), "the harness's mapping"),
                  v1Ring)
              .forget(
                  eraser,
                  new SubjectRequest(
                      "req-keys", "user", subject, SubjectRequest.Action.FORGET, false),
                  Instant.now());
      assertThat(report.rowsAffected()).containsEntry("warehouse.transactions", 3L);
    }

    assertThat(gdpr("rotate-key", "--hmac-secret-file", keyFile.toString()).exitCode()).isZero();
    KeyRing v2Ring = ring();
    live.set(local.functionFor(keyFile));
    LocalBackfill backfill =
        new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), local.shadowPoller(live.get()));
    LocalBackfill.Loaded loaded = backfill.load(LocalHarness.settings(source), CopyListener.NONE);
    assertThat(loaded.copy().copied()).isEqualTo(12);
    assertThat(backfill.awaitDrained(loaded, DRAIN).drained()).isTrue();
    // The subject writes again, under v2 only.
    put(source, item("s-4", subject, "99.75", "2026-01-03T10:00:00Z"));
    local.awaitDrained(liveStream, liveRead, DRAIN);

    assertThat(
            query(
                "SELECT transaction_id, amount::text, concat_ws(',', user_pseudonym,"
                    + " account_pseudonym, email_pseudonym, phone_pseudonym,"
                    + " counterparty_pseudonym, ip_network, merchant_name, key_version)"
                    + " FROM warehouse.transactions WHERE transaction_id LIKE 's-%'"
                    + " ORDER BY transaction_id"))
        .as("anonymised, replayed and new rows alike: nothing links them to anyone")
        .containsExactly(
            List.of("s-1", "10.25", ""),
            List.of("s-2", "20.25", ""),
            List.of("s-3", "30.25", ""),
            List.of("s-4", "99.75", ""));
    for (KeyRing r : List.of(v1Ring, v2Ring)) {
      for (String version : r.versions()) {
        String pseudonym = new Pseudonymiser(r, version).pseudonym("user", subject);
        assertThat(rowsLinkedTo(pseudonym)).as("rows with the subject under %s", version).isZero();
      }
    }
    assertThat(keyStatus())
        .containsExactly(
            "table=warehouse.transactions key_version=v2 live=9 deleted=0",
            "table=warehouse.transactions key_version=none live=4 deleted=0",
            "SUMMARY active=v2 suppression=v1 live_rows_not_on_active=0");

    String ringBefore = Files.readString(keyFile);
    GdprInProcess.Run refused = retire("v1", TestWarehouse.ERASER_USER);
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
    assertThat(refused.err())
        .contains("1 erasures were carried out before key version v2 existed")
        .contains("suppressed under v1 only");
    assertThat(Files.readString(keyFile)).isEqualTo(ringBefore);

    // As the refusal says: the same request again, now under v1 and v2; then v1 may go, and the
    // erasure holds under v2 alone.
    Path value = Files.createTempFile("keys-it-subject", ".txt");
    value.toFile().deleteOnExit();
    Files.writeString(value, subject);
    GdprInProcess.Run repeated =
        gdpr(
            "forget",
            "--namespace",
            "user",
            "--request-id",
            "req-keys",
            "--value-file",
            value.toString(),
            "--hmac-secret-file",
            keyFile.toString(),
            "--mapping",
            local.mappingFile.toString(),
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.ERASER_USER,
            "--db-password-file",
            local.passwordFile().toString());
    Files.delete(value);
    assertThat(repeated.exitCode()).as(repeated.err()).isZero();
    GdprInProcess.Run retired = retire("v1", TestWarehouse.ERASER_USER);
    assertThat(retired.exitCode()).as(retired.err()).isZero();
    assertThat(retired.out().strip())
        .isEqualTo("retired: version=v1 released_deleted_rows=0 suppression=v2");
    KeyRing v2Only = ring();
    assertThat(v2Only.versions()).containsExactly("v2");
    assertThat(v2Only.suppressionVersion()).isEqualTo("v2");

    live.set(local.functionFor(keyFile));
    put(source, item("s-5", subject, "5.55", "2026-01-04T10:00:00Z"));
    put(source, item("s-1", subject, "10.25", "2026-01-04T11:00:00Z"));
    local.awaitDrained(liveStream, liveRead, DRAIN);
    assertThat(
            query(
                "SELECT transaction_id, concat_ws(',', user_pseudonym, account_pseudonym,"
                    + " email_pseudonym, key_version) FROM warehouse.transactions"
                    + " WHERE transaction_id IN ('s-1', 's-5') ORDER BY transaction_id"))
        .as("written after v1 retired: suppressed by the subject's v2 pseudonym")
        .containsExactly(List.of("s-1", ""), List.of("s-5", ""));
    assertThat(rowsLinkedTo(new Pseudonymiser(v2Only).pseudonym("user", subject))).isZero();
    backfill.teardown(loaded);
  }

  // --- the CLI ---------------------------------------------------------------------------------

  private static GdprInProcess.Run gdpr(String... args) {
    return GdprInProcess.run(args);
  }

  private List<String> keyStatus() {
    GdprInProcess.Run run =
        gdpr(
            "key-status",
            "--hmac-secret-file",
            keyFile.toString(),
            "--mapping",
            local.mappingFile.toString(),
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--db-user",
            TestWarehouse.WRITER_USER,
            "--db-password-file",
            local.passwordFile().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().lines().toList();
  }

  private GdprInProcess.Run retire(String version, String user) {
    return gdpr(
        "retire-key",
        "--version",
        version,
        "--hmac-secret-file",
        keyFile.toString(),
        "--mapping",
        local.mappingFile.toString(),
        "--jdbc-url",
        local.warehouse.jdbcUrl(),
        "--db-user",
        user,
        "--db-password-file",
        local.passwordFile().toString());
  }

  private KeyRing ring() throws java.io.IOException {
    return KeyRing.parse(Files.readString(keyFile), "the test's key file");
  }

  // --- the source --------------------------------------------------------------------------

  private void put(String table, Map<String, AttributeValue> item) {
    local.dynamoDb().putItem(b -> b.tableName(table).item(item));
  }

  private void delete(String table, Map<String, AttributeValue> item) {
    local
        .dynamoDb()
        .deleteItem(
            b -> b.tableName(table).key(Map.of(LocalHarness.KEY, item.get(LocalHarness.KEY))));
  }

  /** A later version of a faker item: {@code status}, {@code hours} after its first updatedAt. */
  private void laterVersion(
      String table, Map<String, AttributeValue> item, String status, int hours) {
    String later = OffsetDateTime.parse(item.get("updatedAt").s()).plusHours(hours).toString();
    local
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(Map.of(LocalHarness.KEY, item.get(LocalHarness.KEY)))
                    .updateExpression("SET #s = :s, updatedAt = :u")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":s",
                            AttributeValue.fromS(status),
                            ":u",
                            AttributeValue.fromS(later))));
  }

  private static Map<String, AttributeValue> item(
      String id, String user, String amount, String updatedAt) {
    Map<String, AttributeValue> i = new LinkedHashMap<>();
    i.put("transactionId", s(id));
    i.put("userId", s(user));
    i.put("accountId", s("acc-" + user));
    i.put("email", s(user + "@example.com"));
    i.put("counterpartyIban", s("DE89370400440532013000"));
    i.put("ipAddress", s("203.0.113.77"));
    i.put("merchantName", s("Corner Shop"));
    i.put("amount", AttributeValue.fromN(amount));
    i.put("currency", s("EUR"));
    i.put("status", s("SETTLED"));
    i.put("country", s("DE"));
    i.put("createdAt", s("2026-01-01T10:00:00Z"));
    i.put("updatedAt", s(updatedAt));
    return i;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  /**
   * transaction id → status|updatedAt|key version|user and account pseudonyms, as the warehouse
   * must hold every item now in the source.
   */
  private Map<String, String> expectedRows(String table, Pseudonymiser keys) {
    Map<String, String> rows = new TreeMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = local.dynamoDb().scan(b -> b.tableName(table).exclusiveStartKey(from));
      for (Map<String, AttributeValue> i : page.items()) {
        rows.put(
            i.get(LocalHarness.KEY).s(),
            i.get("status").s()
                + "|"
                + OffsetDateTime.parse(i.get("updatedAt").s()).toInstant()
                + "|"
                + keys.keyVersion()
                + "|"
                + keys.pseudonym("user", i.get("userId").s().trim())
                + "|"
                + keys.pseudonym("account", i.get("accountId").s().trim()));
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return rows;
  }

  private Map<String, String> liveRows() throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = local.warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT transaction_id, status, updated_at, key_version, user_pseudonym,"
                    + " account_pseudonym FROM warehouse.transactions WHERE deleted_at IS NULL")) {
      while (rs.next()) {
        rows.put(
            rs.getString(1),
            rs.getString(2)
                + "|"
                + rs.getObject(3, OffsetDateTime.class).toInstant()
                + "|"
                + rs.getString(4)
                + "|"
                + rs.getString(5)
                + "|"
                + rs.getString(6));
      }
    }
    return rows;
  }

  private long rowsLinkedTo(String pseudonym) throws SQLException {
    return Long.parseLong(
        query(
                "SELECT count(*) FROM warehouse.transactions t WHERE to_jsonb(t)::text LIKE '%"
                    + pseudonym
                    + "%'")
            .get(0)
            .get(0));
  }

  private List<List<String>> query(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = local.warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) row.add(String.valueOf(rs.getString(i)));
        out.add(row);
      }
    }
    return out;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
