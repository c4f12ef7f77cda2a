package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.core.erasure.SubjectRequest;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.sink.jooq.SubjectStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The replay case: a subject forgotten after its transactions reached the warehouse stays
 * forgotten when a backfill later copies the whole source table through the shadow stream (every
 * item of the subject replayed), and when the subject writes again. The other users' rows are left
 * exactly as they were: the copy's images carry the versions the rows already have.
 */
class ErasureBackfillIT {

  private static final String SUBJECT = "user-123";
  private static final List<String> OTHERS = List.of("user-7", "user-8", "user-9");
  private static final Duration DRAIN = Duration.ofMinutes(1);

  /** Every column that links a transaction to a person: null on an anonymised row. */
  private static final String LINKS =
      "user_pseudonym, account_pseudonym, email_pseudonym, phone_pseudonym,"
          + " counterparty_pseudonym, ip_network, merchant_name, key_version";

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
  void aForgottenSubjectStaysForgottenThroughABackfillReplayAndLaterWrites() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("erasure"));
    String liveStream = local.enableStream(source);
    StreamPositions liveRead = new StreamPositions();
    local.poll(liveStream, liveRead);
    Map<String, String> subjectAmounts = new TreeMap<>();
    for (int i = 1; i <= 3; i++) {
      String amount = i + "0.25";
      put(source, item("s-" + i, SUBJECT, amount, "2026-01-01T10:00:0" + i + "Z"));
      subjectAmounts.put("s-" + i, amount);
    }
    for (int i = 0; i < 12; i++) {
      put(source, item("o-" + i, OTHERS.get(i % 3), i + ".50", "2026-01-02T10:00:00Z"));
    }
    local.awaitDrained(liveStream, liveRead, DRAIN);

    KeyRing keys = KeyRing.parse(Files.readString(local.hmacSecret), "the harness's key ring");
    String pseudonym = new Pseudonymiser(keys).pseudonym("user", SUBJECT);
    assertThat(rowsLinkedTo(pseudonym)).as("the subject's rows before the erasure").isEqualTo(3);
    Map<String, String> othersBefore = rowsOf("transaction_id LIKE 'o-%'");
    assertThat(othersBefore).hasSize(12);

    SubjectStore.ErasureReport report;
    try (Connection eraser = local.warehouse.eraserConnection()) {
      report =
          new SubjectStore(
                  MappingDocument.parse(
                      Files.readString(local.mappingFile), "the harness's mapping"),
                  keys)
              .forget(
                  eraser,
                  new SubjectRequest(
                      "req-backfill", "user", SUBJECT, SubjectRequest.Action.FORGET, false),
                  Instant.now());
    }
    assertThat(report.rowsAffected()).containsEntry("warehouse.transactions", 3L);
    Map<String, String> subjectErased = rowsOf("transaction_id LIKE 's-%'");

    // The replay: every item of the source, the subject's included, through the shadow stream.
    LocalBackfill backfill =
        new LocalBackfill(local.dynamoDb(), local.dynamo.streams(), local.shadowPoller());
    LocalBackfill.Loaded loaded = backfill.load(LocalHarness.settings(source), CopyListener.NONE);
    assertThat(loaded.copy().complete()).isTrue();
    assertThat(loaded.copy().copied()).isEqualTo(15);
    assertThat(backfill.awaitDrained(loaded, DRAIN).drained()).isTrue();

    assertThat(rowsOf("transaction_id LIKE 's-%'"))
        .as("the replayed images of the erased subject change nothing")
        .isEqualTo(subjectErased);

    // The subject writes again: a new transaction, and a later version of an erased one.
    put(source, item("s-4", SUBJECT, "99.75", "2026-01-03T10:00:00Z"));
    subjectAmounts.put("s-4", "99.75");
    put(source, item("s-1", SUBJECT, "10.25", "2026-01-03T11:00:00Z"));
    local.awaitDrained(liveStream, liveRead, DRAIN);

    assertThat(rowsLinkedTo(pseudonym)).as("rows carrying the subject's pseudonym").isZero();
    assertThat(
            query(
                "SELECT transaction_id, amount::text, "
                    + LINKS
                    + " FROM warehouse.transactions WHERE transaction_id LIKE 's-%'"
                    + " ORDER BY transaction_id"))
        .as("anonymised: the amounts stay, nothing links them to anyone")
        .containsExactlyElementsOf(
            subjectAmounts.entrySet().stream()
                .map(
                    e -> {
                      List<String> row = new ArrayList<>(List.of(e.getKey(), e.getValue()));
                      for (int i = 0; i < 8; i++) row.add("null");
                      return row;
                    })
                .toList());
    assertThat(
            query(
                "SELECT updated_at = '2026-01-03T11:00:00Z' FROM warehouse.transactions"
                    + " WHERE transaction_id = 's-1'"))
        .as("the later version of an erased item is written, anonymised")
        .containsExactly(List.of("t"));
    assertThat(rowsOf("transaction_id LIKE 'o-%'"))
        .as("the other users' rows, row by row, ingested_at included")
        .isEqualTo(othersBefore);

    backfill.teardown(loaded);
  }

  private void put(String table, Map<String, AttributeValue> item) {
    local.dynamoDb().putItem(b -> b.tableName(table).item(item));
  }

  private static Map<String, AttributeValue> item(
      String id, String user, String amount, String updatedAt) {
    Map<String, AttributeValue> i = new LinkedHashMap<>();
    i.put("transactionId", s(id));
    i.put("userId", s(user));
    i.put("accountId", s("acc-" + user));
    i.put("email", s(user + "@example.com"));
    i.put("phone", s("+49 151 5550" + Math.abs(user.hashCode() % 1000)));
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

  private long rowsLinkedTo(String pseudonym) throws SQLException {
    return Long.parseLong(
        query(
                "SELECT count(*) FROM warehouse.transactions t WHERE to_jsonb(t)::text LIKE '%"
                    + pseudonym
                    + "%'")
            .get(0)
            .get(0));
  }

  /** transaction id → the whole row as JSON, bookkeeping (ingested_at) included. */
  private Map<String, String> rowsOf(String where) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    for (List<String> r :
        query(
            "SELECT transaction_id, to_jsonb(t)::text FROM warehouse.transactions t WHERE "
                + where)) {
      rows.put(r.get(0), r.get(1));
    }
    return rows;
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
}
