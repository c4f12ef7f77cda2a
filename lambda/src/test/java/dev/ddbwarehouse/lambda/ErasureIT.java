package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidRequestException;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testing.WarehouseRows;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure through the real handlers on a real PostgreSQL: the erasure function forgets a subject in
 * every table, and nothing the stream handler writes afterwards (a retried batch, a replay, a late
 * record, a batch racing the erasure, a record under a newer key version) brings it back.
 */
class ErasureIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  /**
   * Its own threads: the common pool has one thread on a two-core machine, so a blocked task would
   * hold back the other.
   */
  private static final java.util.concurrent.ExecutorService THREADS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "erasure-it");
            t.setDaemon(true);
            return t;
          });

  private static final String PROFILES_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/user-profiles/stream/2026-01-01T00:00:00.000";
  private static final String SHADOW_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/2026-01-02T00:00:00.000";

  /** The README's test vector subject. */
  private static final String SUBJECT = "user-123";

  private static final String KEY_V2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
  private static final String RING_V1_V2 =
      "{\"active\":\"v2\",\"keys\":{\"v1\":\""
          + TestKeys.KEY_BASE64
          + "\",\"v2\":\""
          + KEY_V2
          + "\"}}";

  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
  }

  // --- the scenario of the issue -----------------------------------------------------------

  @Test
  void aForgottenSubjectStaysForgottenThroughRetriesReplaysBackfillAndNewRecords()
      throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    List<StreamEvents> history = history();
    for (StreamEvents batch : history) assertNoFailures(Invocations.invoke(stream, batch, null));
    List<List<String>> othersBefore = othersRows();
    assertThat(count("warehouse.transactions", "user", SUBJECT, ring(TestKeys.SECRET_JSON)))
        .isEqualTo(2);

    JsonValue report = forget(TestKeys.SECRET_JSON, "req-1", "user", SUBJECT, false);

    assertThat(report.get("rowsAffected").text("warehouse.user_profiles")).isEqualTo("1");
    assertThat(report.get("rowsAffected").text("warehouse.transactions")).isEqualTo("2");
    assertSubjectGone(ring(TestKeys.SECRET_JSON));
    assertThat(
            rows(
                "SELECT transaction_id, amount, currency, created_at::text, user_pseudonym,"
                    + " account_pseudonym, email_pseudonym, phone_pseudonym, counterparty_pseudonym,"
                    + " ip_network, merchant_name, key_version, country FROM warehouse.transactions"
                    + " WHERE transaction_id IN ('t-1', 't-2') ORDER BY 1"))
        .as("anonymised: the amounts per month stay, nothing links them to anyone")
        .containsExactly(
            List.of(
                "t-1",
                "10.00",
                "EUR",
                "2026-01-01 10:00:00+00",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "DE"),
            List.of(
                "t-2",
                "5.50",
                "EUR",
                "2026-01-01 10:00:00+00",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "null",
                "DE"));

    // Lambda retries every batch, a replay delivers the history again, the backfill copies the
    // source table through the shadow stream, and the subject keeps writing.
    for (StreamEvents batch : history) assertNoFailures(Invocations.invoke(stream, batch, null));
    assertNoFailures(
        Invocations.invoke(
            stream,
            StreamEvents.startingAt(500, SHADOW_ARN)
                .insert(transaction("t-1", SUBJECT, "10.00"))
                .insert(transaction("t-2", SUBJECT, "5.50")),
            null));
    TransactionItem later = transaction("t-9", SUBJECT, "99.00");
    Map<String, Object> newer = profile(SUBJECT, "2026-01-01T10:05:00Z");
    assertNoFailures(Invocations.invoke(stream, StreamEvents.startingAt(900).insert(later), null));
    assertNoFailures(
        Invocations.invoke(
            stream,
            profiles(901).add("MODIFY", key(SUBJECT), newer, profile(SUBJECT, null), false),
            null));
    assertNoFailures(
        Invocations.invoke(
            stream, profiles(902).add("REMOVE", key(SUBJECT), null, newer, false), null));

    assertSubjectGone(ring(TestKeys.SECRET_JSON));
    assertThat(
            rows(
                "SELECT amount, user_pseudonym FROM warehouse.transactions WHERE transaction_id = 't-9'"))
        .as("a new record of the subject is written already anonymised")
        .containsExactly(List.of("99.00", "null"));
    assertThat(othersRows()).as("other subjects untouched, row by row").isEqualTo(othersBefore);
    assertThat(
            rows(
                "SELECT request_id, namespace, rows_affected::text, key_versions::text FROM etl.erasure_log"))
        .containsExactly(
            List.of(
                "req-1",
                "user",
                "{\"etl.quarantine\": 0, \"warehouse.transactions\": 2, \"warehouse.user_profiles\": 1}",
                "{v1}"));
    assertThat(rows("SELECT namespace, key_version, request_id FROM etl.erased_subjects"))
        .containsExactly(List.of("user", "v1", "req-1"));
  }

  @Test
  void rowsWrittenUnderAnOlderKeyVersionAreErasedToo() throws Exception {
    assertNoFailures(
        Invocations.invoke(
            streamHandler(TestKeys.SECRET_JSON),
            StreamEvents.startingAt(1).insert(transaction("t-1", SUBJECT, "1.00")),
            null));
    assertNoFailures(
        Invocations.invoke(
            streamHandler(RING_V1_V2),
            StreamEvents.startingAt(2).insert(transaction("t-2", SUBJECT, "2.00")),
            null));
    assertThat(rows("SELECT key_version FROM warehouse.transactions ORDER BY transaction_id"))
        .containsExactly(List.of("v1"), List.of("v2"));

    JsonValue report = forget(RING_V1_V2, "req-2", "user", SUBJECT, false);

    assertThat(report.get("rowsAffected").text("warehouse.transactions")).isEqualTo("2");
    assertThat(((JsonValue.Arr) report.get("keyVersions")).items())
        .extracting(JsonValue::text)
        .containsExactly("v1", "v2");
    assertSubjectGone(ring(RING_V1_V2));
    assertThat(rows("SELECT key_version, count(*) FROM etl.erased_subjects GROUP BY 1 ORDER BY 1"))
        .containsExactly(List.of("v1", "1"), List.of("v2", "1"));
  }

  @Test
  void aSubjectErasedBeforeAKeyVersionExistedStaysErasedUnderIt() throws Exception {
    forget(TestKeys.SECRET_JSON, "req-3", "user", SUBJECT, false);
    // Rotation: v2 is added and made active; v1 stays first, so it stays the suppression version.
    StreamHandler rotated = streamHandler(RING_V1_V2);
    assertNoFailures(
        Invocations.invoke(
            rotated, StreamEvents.startingAt(1).insert(transaction("t-1", SUBJECT, "1.00")), null));
    assertNoFailures(
        Invocations.invoke(
            rotated,
            profiles(2).add("INSERT", key(SUBJECT), profile(SUBJECT, null), null, false),
            null));
    assertNoFailures(
        Invocations.invoke(
            rotated,
            StreamEvents.startingAt(3).insert(transaction("t-2", "user-other", "2.00")),
            null));

    assertSubjectGone(ring(RING_V1_V2));
    assertThat(rows("SELECT transaction_id, key_version FROM warehouse.transactions ORDER BY 1"))
        .containsExactly(List.of("t-1", "null"), List.of("t-2", "v2"));
    assertThat(rows("SELECT count(*) FROM warehouse.user_profiles")).containsExactly(List.of("0"));
  }

  // --- races -------------------------------------------------------------------------------

  @Test
  void anErasureInProgressWinsOverABatchThatArrivesMeanwhile() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    assertNoFailures(Invocations.invoke(stream, history().get(0), null));
    try (Connection blocker = DB.adminConnection()) {
      // Holds the erasure after its deletes, before its commit: it waits for the audit table.
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("LOCK TABLE etl.erasure_log IN ACCESS EXCLUSIVE MODE");
      CompletableFuture<JsonValue> erasure =
          CompletableFuture.supplyAsync(() -> forgetUnchecked("req-4", SUBJECT), THREADS);
      awaitWaiting("relation", 1);
      CompletableFuture<StreamsEventResponse> batch =
          CompletableFuture.supplyAsync(() -> Invocations.invoke(stream, history().get(1), null));
      awaitWaiting("advisory", 1);
      blocker.rollback();
      assertThat(erasure.get(60, TimeUnit.SECONDS).get("rowsAffected")).isNotNull();
      assertNoFailures(batch.get(60, TimeUnit.SECONDS));
    }
    assertSubjectGone(ring(TestKeys.SECRET_JSON));
  }

  @Test
  void anErasureThatStartsWhileABatchIsInFlightErasesWhatTheBatchWrote() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    try (Connection blocker = DB.adminConnection()) {
      // Holds the batch inside its transaction, after its erasure check, before its COPY.
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("LOCK TABLE warehouse.user_profiles IN EXCLUSIVE MODE");
      CompletableFuture<StreamsEventResponse> batch =
          CompletableFuture.supplyAsync(() -> Invocations.invoke(stream, history().get(0), null));
      awaitWaiting("relation", 1);
      CompletableFuture<JsonValue> erasure =
          CompletableFuture.supplyAsync(() -> forgetUnchecked("req-5", SUBJECT), THREADS);
      awaitWaiting("advisory", 1, erasure);
      blocker.rollback();
      assertNoFailures(batch.get(60, TimeUnit.SECONDS));
      assertThat(
              erasure.get(60, TimeUnit.SECONDS).get("rowsAffected").text("warehouse.user_profiles"))
          .isEqualTo("1");
    }
    assertSubjectGone(ring(TestKeys.SECRET_JSON));
  }

  @Test
  void erasuresAndBatchesRunConcurrentlyLeaveNothingOfTheSubject() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (int round = 0; round < 8; round++) {
      DB.truncateAll();
      CountDownLatch start = new CountDownLatch(1);
      String requestId = "race-" + round;
      List<StreamEvents> history = history();
      CompletableFuture<Void> batches =
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (StreamEvents b : history)
                  assertNoFailures(Invocations.invoke(stream, b, null));
              });
      CompletableFuture<JsonValue> erasure =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                return forgetUnchecked(requestId, SUBJECT);
              },
              THREADS);
      start.countDown();
      batches.get(60, TimeUnit.SECONDS);
      erasure.get(60, TimeUnit.SECONDS);
      assertSubjectGone(ring(TestKeys.SECRET_JSON));
      assertThat(rows("SELECT count(*) FROM warehouse.user_profiles"))
          .containsExactly(List.of("1"));
    }
  }

  // --- dry run, export, SQS, views, privacy --------------------------------------------------

  @Test
  void aDryRunCountsAndChangesNothing() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));
    List<List<String>> before =
        rows("SELECT to_jsonb(t)::text FROM warehouse.transactions t ORDER BY 1");

    JsonValue report = forget(TestKeys.SECRET_JSON, "req-6", "user", SUBJECT, true);

    assertThat(report.get("dryRun")).isEqualTo(new JsonValue.Bool(true));
    assertThat(report.get("rowsAffected").text("warehouse.transactions")).isEqualTo("2");
    assertThat(report.get("rowsAffected").text("warehouse.user_profiles")).isEqualTo("1");
    assertThat(rows("SELECT to_jsonb(t)::text FROM warehouse.transactions t ORDER BY 1"))
        .isEqualTo(before);
    assertThat(rows("SELECT count(*) FROM etl.erased_subjects")).containsExactly(List.of("0"));
    assertThat(rows("SELECT count(*) FROM etl.erasure_log")).containsExactly(List.of("0"));
  }

  @Test
  void exportReturnsExactlyTheSubjectsRowsBeforeErasureAndNothingAfter() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));
    String pseudonym = new Pseudonymiser(ring(TestKeys.SECRET_JSON)).pseudonym("user", SUBJECT);

    JsonValue export =
        invoke(
            TestKeys.SECRET_JSON,
            request("exp-1", "user", SUBJECT, "export", false),
            new ByteArrayOutputStream());
    List<String> tables = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (JsonValue line : ((JsonValue.Arr) export.get("rows")).items()) {
      tables.add(line.text("table"));
      assertThat(line.get("row").text("user_pseudonym")).isEqualTo(pseudonym);
      String id = line.get("row").text("transaction_id");
      if (id != null) ids.add(id);
    }
    assertThat(tables)
        .containsExactly(
            "warehouse.transactions", "warehouse.transactions", "warehouse.user_profiles");
    assertThat(ids).containsExactly("t-1", "t-2");

    forget(TestKeys.SECRET_JSON, "req-7", "user", SUBJECT, false);
    JsonValue after =
        invoke(
            TestKeys.SECRET_JSON,
            request("exp-2", "user", SUBJECT, "export", false),
            new ByteArrayOutputStream());
    assertThat(((JsonValue.Arr) after.get("rows")).items()).isEmpty();
  }

  @Test
  void queuedRequestsReportTheMessagesThatFailedForRedelivery() throws Exception {
    Invocations.invoke(streamHandler(TestKeys.SECRET_JSON), history().get(0), null);
    String sqs =
        "{\"Records\":["
            + sqsRecord("m-1", request("q-1", "user", SUBJECT, "forget", false))
            + ","
            + sqsRecord("m-2", request("q-2", "no-such-namespace", SUBJECT, "forget", false))
            + ","
            + sqsRecord("m-3", "not json")
            + "]}";
    ByteArrayOutputStream logs = new ByteArrayOutputStream();

    JsonValue response = invoke(TestKeys.SECRET_JSON, sqs, logs);

    assertThat(response.toString()).doesNotContain("m-1");
    List<String> failed = new ArrayList<>();
    for (JsonValue f : ((JsonValue.Arr) response.get("batchItemFailures")).items()) {
      failed.add(f.text("itemIdentifier"));
    }
    assertThat(failed).containsExactly("m-2", "m-3");
    assertThat(rows("SELECT request_id FROM etl.erasure_log")).containsExactly(List.of("q-1"));
    assertNoSubjectIn(logs.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDirectRequestThatCannotBeCarriedOutFailsNamingTheFieldNotTheValue() {
    assertThatThrownBy(
            () ->
                invoke(
                    TestKeys.SECRET_JSON,
                    request("r-1", "nope", SUBJECT, "forget", false),
                    new ByteArrayOutputStream()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("namespace nope is used by no table")
        .hasMessageNotContaining(SUBJECT);
    assertThatThrownBy(
            () ->
                invoke(
                    TestKeys.SECRET_JSON,
                    "{\"requestId\":\"r-2\",\"namespace\":\"user\"}",
                    new ByteArrayOutputStream()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("value is required");
  }

  @Test
  void biViewsHideASuppressedSubjectEvenWhenARowSlippedThroughAndBiReaderCannotReadTheList()
      throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));
    String pseudonym = new Pseudonymiser(ring(TestKeys.SECRET_JSON)).pseudonym("user", SUBJECT);
    // Put the subject on the list without erasing its rows: what a row that slipped past looks
    // like.
    DB.execute(
        "INSERT INTO etl.erased_subjects VALUES ('user', 'v1', '"
            + pseudonym
            + "', 'manual', now())");

    try (Connection c = DB.readerConnection();
        Statement s = c.createStatement()) {
      assertThat(
              WarehouseRows.query(
                  DB,
                  "SELECT count(*) FROM bi.transactions WHERE user_pseudonym = '"
                      + pseudonym
                      + "'"))
          .containsExactly(List.of("0"));
      assertThat(
              WarehouseRows.query(
                  DB,
                  "SELECT count(*) FROM bi.user_profiles WHERE user_pseudonym = '"
                      + pseudonym
                      + "'"))
          .containsExactly(List.of("0"));
      assertThat(WarehouseRows.query(DB, "SELECT count(*) FROM bi.user_profiles"))
          .containsExactly(List.of("1"));
      var rs = s.executeQuery("SELECT count(*) FROM bi.transactions");
      rs.next();
      assertThat(rs.getLong(1)).as("as bi_reader").isEqualTo(1);
      for (String table : List.of("etl.erased_subjects", "etl.erasure_log")) {
        SQLException refused =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                SQLException.class, () -> s.executeQuery("SELECT count(*) FROM " + table));
        assertThat((Object) refused).as(table).isNotNull();
        assertThat(refused.getSQLState()).as(table).isEqualTo("42501");
      }
    }
  }

  @Test
  void aLoginWithoutTheEraserRoleFailsWithTheSqlStateAndRollsBack() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));
    List<List<String>> before =
        rows("SELECT to_jsonb(t)::text FROM warehouse.transactions t ORDER BY 1");
    EtlConfig config =
        EtlConfig.fromEnv(environment(DB.writerEnvironment(), TestKeys.SECRET_JSON), () -> null);
    ErasureHandler asWriter =
        new ErasureHandler(config, new PrintStream(new ByteArrayOutputStream()));

    // SubjectStore hands jOOQ's failures on as the driver's SQLException: the handler names the
    // SQLSTATE only, never the SQL text or the server's message (which can quote a row).
    assertThatThrownBy(
            () ->
                asWriter.handleRequest(
                    new ByteArrayInputStream(
                        request("r-w", "user", SUBJECT, "forget", false)
                            .getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("request r-w failed in the warehouse (SQLSTATE 42501)");
    assertThat(rows("SELECT to_jsonb(t)::text FROM warehouse.transactions t ORDER BY 1"))
        .isEqualTo(before);
    assertThat(rows("SELECT count(*) FROM warehouse.user_profiles")).containsExactly(List.of("2"));
  }

  @Test
  void theWriterCannotChangeTheSuppressionListNorDeleteRows() throws Exception {
    try (Connection c = DB.writerConnection();
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "DELETE FROM etl.erased_subjects",
              "INSERT INTO etl.erasure_log VALUES ('x','user',now(),now(),'{}','{}','v1')",
              "DELETE FROM warehouse.transactions")) {
        SQLException refused =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                SQLException.class, () -> s.execute(sql));
        assertThat((Object) refused).as(sql).isNotNull();
        assertThat(refused.getSQLState()).as(sql).isEqualTo("42501");
      }
    }
  }

  @Test
  void neitherTheRawIdentifierNorItsPseudonymReachesALogOrTheAuditTables() throws Exception {
    ByteArrayOutputStream streamLogs = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(streamLogs, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream erasureLogs = new ByteArrayOutputStream();
    try {
      StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
      for (StreamEvents batch : history()) Invocations.invoke(stream, batch, null);
      invoke(TestKeys.SECRET_JSON, request("req-8", "user", SUBJECT, "forget", false), erasureLogs);
      for (StreamEvents batch : history()) Invocations.invoke(stream, batch, null);
    } finally {
      System.setOut(original);
    }
    assertThat(erasureLogs.toString(StandardCharsets.UTF_8)).contains("req-8");
    assertNoSubjectIn(streamLogs.toString(StandardCharsets.UTF_8));
    assertNoSubjectIn(erasureLogs.toString(StandardCharsets.UTF_8));
    assertNoSubjectIn(String.valueOf(rows("SELECT to_jsonb(l)::text FROM etl.erasure_log l")));
    // The whole database, every schema, as text: the raw identifier is nowhere.
    assertThat(dumpEverySchema()).doesNotContain(SUBJECT).doesNotContain("Subject.One@Example.com");
  }

  @Test
  void theFunctionReportsKeyUsageAndReleasesOnlyAVersionNoLiveRowUses() throws Exception {
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));
    forget(TestKeys.SECRET_JSON, "req-k", "user", SUBJECT, false);

    JsonValue status =
        invoke(
            RING_V1_V2,
            "{\"action\":\"key-status\",\"coverage\":\"v2\"}",
            new ByteArrayOutputStream());

    List<String> counts = new ArrayList<>();
    for (JsonValue c : ((JsonValue.Arr) status.get("counts")).items()) {
      counts.add(
          c.text("table")
              + " "
              + c.text("keyVersion")
              + " "
              + c.text("live")
              + " "
              + c.text("deleted"));
    }
    assertThat(counts)
        .containsExactly(
            "warehouse.transactions v1 1 0",
            "warehouse.transactions null 2 0",
            "warehouse.user_profiles v1 1 0");
    assertThat(status.text("erasuresNotCovering")).as("req-k ran before v2 existed").isEqualTo("1");
    assertThatThrownBy(
            () ->
                invoke(
                    RING_V1_V2,
                    "{\"action\":\"release-key-version\",\"version\":\"v1\"}",
                    new ByteArrayOutputStream()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("2 live rows still carry key version v1: re-key them first");
  }

  @Test
  void theErasureFunctionCoversAKeyVersionAddedSinceItStarted() throws Exception {
    Path secret = Files.createTempFile(dir, "ring", ".json");
    Files.writeString(secret, TestKeys.SECRET_JSON);
    Map<String, String> env = new HashMap<>(DB.eraserEnvironment());
    env.put("HMAC_SECRET_FILE", secret.toString());
    ErasureHandler function =
        new ErasureHandler(
            env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    StreamHandler stream = streamHandler(TestKeys.SECRET_JSON);
    for (StreamEvents batch : history()) assertNoFailures(Invocations.invoke(stream, batch, null));

    Files.writeString(secret, RING_V1_V2); // a rotation while the function's environment lives
    assertNoFailures(
        Invocations.invoke(
            streamHandler(RING_V1_V2),
            StreamEvents.startingAt(30).insert(transaction("t-5", SUBJECT, "3.00")),
            null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    function.handleRequest(
        new ByteArrayInputStream(
            request("req-rot", "user", SUBJECT, "forget", false).getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    JsonValue report = JsonValue.parse(out.toString(StandardCharsets.UTF_8));

    assertThat(((JsonValue.Arr) report.get("keyVersions")).items())
        .extracting(JsonValue::text)
        .containsExactly("v1", "v2");
    assertThat(report.get("rowsAffected").text("warehouse.transactions")).isEqualTo("3");
    assertSubjectGone(ring(RING_V1_V2));
  }

  // --- helpers -----------------------------------------------------------------------------

  /** A profile and two transactions of the subject, one of another user, in three batches. */
  private static List<StreamEvents> history() {
    return List.of(
        profiles(1)
            .add("INSERT", key(SUBJECT), profile(SUBJECT, null), null, false)
            .add("INSERT", key("user-other"), profile("user-other", null), null, false),
        StreamEvents.startingAt(10)
            .insert(transaction("t-1", SUBJECT, "10.00"))
            .insert(transaction("t-3", "user-other", "7.25")),
        StreamEvents.startingAt(20).insert(transaction("t-2", SUBJECT, "5.50")));
  }

  private static TransactionItem transaction(String id, String user, String amount) {
    return TransactionItem.of(id)
        .s("userId", user)
        .s("accountId", "acc-" + user)
        .s("email", user.equals(SUBJECT) ? "Subject.One@Example.com" : user + "@example.com")
        .s("phone", user.equals(SUBJECT) ? "+49 151 5550123" : "+49 151 5550999")
        .s(
            "counterpartyIban",
            user.equals(SUBJECT) ? "DE89370400440532013000" : "DE02120300000000202051")
        .n("amount", amount);
  }

  private static StreamEvents profiles(long firstSequence) {
    return StreamEvents.startingAt(firstSequence, PROFILES_ARN);
  }

  private static Map<String, Object> key(String userId) {
    return Map.of("userId", Map.of("S", userId));
  }

  private static Map<String, Object> profile(String userId, String updatedAt) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("userId", Map.of("S", userId));
    p.put(
        "email",
        Map.of("S", userId.equals(SUBJECT) ? "Subject.One@Example.com" : userId + "@example.com"));
    p.put("birthDate", Map.of("S", "1987-03-14"));
    p.put("sex", Map.of("S", "female"));
    p.put("country", Map.of("S", "DE"));
    p.put("signupAt", Map.of("S", "2024-05-17T09:30:00Z"));
    p.put("updatedAt", Map.of("S", updatedAt == null ? "2026-01-01T10:00:00Z" : updatedAt));
    return p;
  }

  private StreamHandler streamHandler(String secretJson) throws IOException {
    return StreamHandler.fromEnvironment(
        environment(DB.writerEnvironment(), secretJson), BatchObserver.NONE);
  }

  private Map<String, String> environment(Map<String, String> database, String secretJson)
      throws IOException {
    Map<String, String> env = new HashMap<>(database);
    Path secret = Files.createTempFile(dir, "ring", ".json");
    Files.writeString(secret, secretJson);
    env.put("HMAC_SECRET_FILE", secret.toString());
    return env;
  }

  private JsonValue forget(
      String secretJson, String requestId, String ns, String value, boolean dryRun)
      throws IOException {
    return invoke(
        secretJson, request(requestId, ns, value, "forget", dryRun), new ByteArrayOutputStream());
  }

  private JsonValue forgetUnchecked(String requestId, String value) {
    try {
      return forget(TestKeys.SECRET_JSON, requestId, "user", value, false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonValue invoke(String secretJson, String input, ByteArrayOutputStream logs)
      throws IOException {
    EtlConfig config =
        EtlConfig.fromEnv(environment(DB.eraserEnvironment(), secretJson), () -> null);
    ErasureHandler handler =
        new ErasureHandler(config, new PrintStream(logs, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
    return JsonValue.parse(out.toString(StandardCharsets.UTF_8));
  }

  private static String request(String id, String ns, String value, String action, boolean dryRun) {
    return "{\"requestId\":\""
        + id
        + "\",\"namespace\":\""
        + ns
        + "\",\"value\":\""
        + value
        + "\",\"action\":\""
        + action
        + "\",\"dryRun\":"
        + dryRun
        + "}";
  }

  private static String sqsRecord(String messageId, String body) {
    return "{\"messageId\":\""
        + messageId
        + "\",\"eventSource\":\"aws:sqs\",\"body\":"
        + dev.ddbwarehouse.core.json.JsonText.write(body)
        + "}";
  }

  private static KeyRing ring(String json) {
    return KeyRing.parse(json, "test");
  }

  /**
   * Rows of {@code table} linked to the subject under any version of {@code keys}, by namespace.
   */
  private static long count(String table, String ns, String value, KeyRing keys)
      throws SQLException {
    long n = 0;
    for (String version : keys.versions()) {
      String p = new Pseudonymiser(keys, version).pseudonym(ns, value);
      n +=
          Long.parseLong(
              rows("SELECT count(*) FROM "
                      + table
                      + " t WHERE to_jsonb(t)::text LIKE '%"
                      + p
                      + "%'")
                  .get(0)
                  .get(0));
    }
    return n;
  }

  /** Nothing of the subject in any table: no row carries any of its pseudonyms, any version. */
  private static void assertSubjectGone(KeyRing keys) throws SQLException {
    Map<String, String> identifiers =
        Map.of("user", SUBJECT, "email", "subject.one@example.com", "account", "acc-" + SUBJECT);
    for (String table :
        List.of("warehouse.transactions", "warehouse.user_profiles", "etl.quarantine")) {
      for (Map.Entry<String, String> id : identifiers.entrySet()) {
        assertThat(count(table, id.getKey(), id.getValue(), keys))
            .as(table + " rows with the subject's " + id.getKey() + " pseudonym")
            .isZero();
      }
    }
  }

  private static List<List<String>> othersRows() throws SQLException {
    return rows(
        "SELECT to_jsonb(t)::text FROM warehouse.transactions t WHERE transaction_id = 't-3'"
            + " UNION ALL SELECT to_jsonb(p)::text FROM warehouse.user_profiles p"
            + " WHERE user_pseudonym = '"
            + new Pseudonymiser(ring(TestKeys.SECRET_JSON)).pseudonym("user", "user-other")
            + "'");
  }

  private static void assertNoSubjectIn(String text) {
    KeyRing keys = ring(RING_V1_V2);
    assertThat(text).doesNotContain(SUBJECT);
    for (String version : keys.versions()) {
      assertThat(text).doesNotContain(new Pseudonymiser(keys, version).pseudonym("user", SUBJECT));
    }
  }

  private static String dumpEverySchema() throws SQLException {
    List<List<String>> tables =
        rows(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname IN ('warehouse', 'etl', 'bi', 'public')");
    StringBuilder dump = new StringBuilder();
    for (List<String> t : tables) {
      dump.append(
          rows("SELECT coalesce(string_agg(to_jsonb(x)::text, ' '), '') FROM " + t.get(0) + " x"));
    }
    return dump.toString();
  }

  /** Until {@code n} sessions wait for a lock of this type (relation, advisory). */
  private static void awaitWaiting(String lockType, int n) throws Exception {
    awaitWaiting(lockType, n, null);
  }

  private static void awaitWaiting(String lockType, int n, CompletableFuture<?> meanwhile)
      throws Exception {
    for (int i = 0; i < 600; i++) {
      if (meanwhile != null && meanwhile.isDone()) {
        throw new AssertionError(
            "finished instead of waiting: "
                + meanwhile.handle((r, e) -> e != null ? e.toString() : String.valueOf(r)).get()
                + " "
                + rows(
                    "SELECT locktype, mode, granted, relation::regclass::text FROM pg_locks WHERE locktype IN ('advisory', 'relation') AND relation IS DISTINCT FROM 'pg_locks'::regclass"));
      }
      long waiting =
          Long.parseLong(
              rows("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = '"
                      + lockType
                      + "'")
                  .get(0)
                  .get(0));
      if (waiting >= n) return;
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no session started waiting for a "
            + lockType
            + " lock: "
            + rows(
                "SELECT a.pid, a.wait_event_type, a.wait_event, left(a.query, 80), a.state"
                    + " FROM pg_stat_activity a WHERE a.datname = current_database()"));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertNoFailures(StreamsEventResponse response) {
    assertThat(response.getBatchItemFailures()).isEmpty();
  }

  private static List<List<String>> rows(String sql) throws SQLException {
    return WarehouseRows.query(DB, sql);
  }
}
