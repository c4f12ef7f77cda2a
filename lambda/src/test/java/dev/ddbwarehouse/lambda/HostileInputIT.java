package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.lambda.StreamHandlerIT.count;
import static dev.ddbwarehouse.lambda.StreamHandlerIT.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchReport;
import dev.ddbwarehouse.core.pipeline.UnreadableEventException;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Odd input through the real handler and the runtime's deserialiser: every record ends written,
 * ignored or quarantined, and the invocation itself never fails.
 */
class HostileInputIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private final List<BatchReport> reports = new ArrayList<>();
  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    BatchObserver observer = reports::add;
    handler = StreamHandler.fromEnvironment(TestKeys.environment(DB.writerEnvironment()), observer);
  }

  private StreamsEventResponse run(StreamEvents events) {
    return Invocations.invoke(handler, events, null);
  }

  /**
   * The INSERT lane has sent the first records' rows by the time the cut is found: none of them may
   * stay, and the failure names no value. Delivered whole again, the batch commits.
   */
  @Test
  void anEventCutShortFailsTheInvocationAndCommitsNothingOfIt() throws SQLException {
    StreamEvents batch = StreamEvents.startingAt(1);
    for (int i = 0; i < 500; i++) batch.insert(TransactionItem.of("cut-" + i));
    byte[] whole = batch.bytes();
    byte[] cut = Arrays.copyOf(whole, whole.length * 9 / 10);

    assertThatThrownBy(() -> Invocations.invoke(handler, cut, null))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageContaining("cut short")
        .message()
        .doesNotContain("cut-");
    assertThat(count("SELECT count(*) FROM warehouse.transactions")).isZero();
    assertThat(reports).isEmpty();

    assertThat(Invocations.invoke(handler, whole, null).getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(500);
  }

  /**
   * The handler reads Lambda's in-memory payload in place and goes back to its start when a batch
   * needs the whole way; a stream that cannot go back is copied first, and works the same.
   */
  @Test
  void anEventFromAStreamThatCannotGoBackIsReadAndReplayedAsAnyOther() throws SQLException {
    StreamEvents batch =
        StreamEvents.startingAt(1)
            .insert(TransactionItem.of("once-1"))
            .insert(TransactionItem.of("once-2"));

    assertThat(Invocations.invoke(handler, oneWay(batch.bytes()), null).getBatchItemFailures())
        .isEmpty();
    // The replay's rows are stored: staged as encoded and merged, the event is not read again.
    assertThat(Invocations.invoke(handler, oneWay(batch.bytes()), null).getBatchItemFailures())
        .isEmpty();

    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(2);
    assertThat(reports).hasSize(2).allSatisfy(r -> assertThat(r.upserted()).isEqualTo(2));
  }

  /**
   * INSERTs of keys partly stored already (a backfill meeting what the live stream wrote, a replay)
   * and MODIFYs after them: the direct COPY meets a stored key mid-stream, the rows sent so far are
   * staged as they were encoded and the rest of the batch is staged and merged under the version
   * guard. The event is read once: the handler never goes back to its start.
   */
  @Test
  void storedKeysAndModifiesAfterInsertsAreMergedWithoutReadingTheEventAgain() throws SQLException {
    StreamEvents first = StreamEvents.startingAt(1);
    for (int i = 0; i < 220; i++) first.insert(TransactionItem.of("stored-" + i).n("amount", "5"));
    assertThat(run(first).getBatchItemFailures()).isEmpty();

    // From the backfill's shadow stream: across streams the version attribute decides.
    StreamEvents second =
        StreamEvents.startingAt(
            1_000,
            "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/2026-01-02T00:00:00.000");
    for (int i = 0; i < 400; i++) second.insert(TransactionItem.of("fresh-" + i));
    for (int i = 0; i < 200; i++) {
      // Even ones newer than what is stored, odd ones older (10:00 is stored).
      String at = i % 2 == 0 ? "2026-01-01T11:00:00Z" : "2026-01-01T09:00:00Z";
      second.insert(TransactionItem.of("stored-" + i).s("updatedAt", at).n("amount", "7"));
    }
    for (int i = 200; i < 220; i++) {
      second.modify(
          TransactionItem.of("stored-" + i),
          TransactionItem.of("stored-" + i)
              .s("updatedAt", "2026-01-01T12:00:00Z")
              .n("amount", "9"));
    }
    runReadingOnce(second);

    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(620);
    assertThat(
            rows(
                "SELECT amount::text AS amount, count(*) AS n FROM bi.transactions"
                    + " GROUP BY amount ORDER BY amount"))
        .extracting(r -> r.get("amount") + "x" + r.get("n"))
        .as("fresh rows 12.50, newer images 7, older ones kept at 5, modified 9")
        .containsExactly("12.50x400", "5x100", "7x100", "9x20");
    assertThat(count("SELECT count(*) FROM etl.quarantine")).isZero();
  }

  /** Fresh INSERTs, then a MODIFY: the direct COPY is rolled back and staged, read once. */
  @Test
  void aModifyAfterFreshInsertsEndsTheDirectCopyWithoutReadingTheEventAgain() throws SQLException {
    assertThat(
            run(StreamEvents.startingAt(1).insert(TransactionItem.of("kept")))
                .getBatchItemFailures())
        .isEmpty();
    StreamEvents batch = StreamEvents.startingAt(10);
    for (int i = 0; i < 50; i++) batch.insert(TransactionItem.of("new-" + i));
    batch.modify(
        TransactionItem.of("kept"),
        TransactionItem.of("kept").s("updatedAt", "2026-01-01T12:00:00Z").n("amount", "9"));
    runReadingOnce(batch);

    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(51);
    assertThat(
            rows(
                "SELECT amount::text AS amount FROM bi.transactions WHERE transaction_id = 'kept'"))
        .containsExactly(Map.of("amount", "9"));
  }

  /** Runs the batch, asserting no failure and that the handler never went back to its start. */
  private void runReadingOnce(StreamEvents batch) {
    CountingResets event = new CountingResets(batch.bytes());
    assertThat(Invocations.invoke(handler, event, null).getBatchItemFailures()).isEmpty();
    assertThat(event.resets).as("times the event was read again").isZero();
  }

  private static final class CountingResets extends java.io.ByteArrayInputStream {
    int resets;

    CountingResets(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized void reset() {
      resets++;
      super.reset();
    }
  }

  private static java.io.InputStream oneWay(byte[] bytes) {
    return new java.io.FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  /** A record the lane cannot take, mid-batch: the batch goes the whole way, nothing is lost. */
  @Test
  void anAttributeGivenTwiceMidBatchIsQuarantinedAndTheRestIsWritten() throws SQLException {
    StreamEvents batch = StreamEvents.startingAt(1);
    for (int i = 0; i < 300; i++) batch.insert(TransactionItem.of("twice-" + i));
    String json =
        new String(batch.bytes(), java.nio.charset.StandardCharsets.UTF_8)
            .replace(
                "{\"transactionId\":{\"S\":\"twice-150\"}",
                "{\"transactionId\":{\"S\":\"twice-150\"},\"transactionId\":{\"S\":\"x\"}");

    StreamsEventResponse response =
        Invocations.invoke(handler, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(299);
    assertThat(rows("SELECT error_code, attribute FROM etl.quarantine"))
        .containsExactly(Map.of("error_code", "UNPARSABLE_IMAGE", "attribute", "transactionId"));
  }

  @Test
  void nullRecordIsQuarantinedAndTheOthersAreWritten() throws SQLException {
    StreamEvents batch =
        StreamEvents.startingAt(1)
            .insert(TransactionItem.of("t-1"))
            .nullRecord()
            .insert(TransactionItem.of("t-2"));

    StreamsEventResponse response = run(batch);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(2);
    assertThat(rows("SELECT error_code, sequence_number FROM etl.quarantine"))
        .containsExactly(Map.of("error_code", "UNPARSABLE_IMAGE", "sequence_number", ""));
  }

  @Test
  void nullMemberOfASetIsQuarantinedEvenInADroppedAttribute() throws SQLException {
    StreamEvents batch =
        StreamEvents.startingAt(1)
            .insert(
                TransactionItem.of("ss-kept").put("tags", Map.of("SS", Arrays.asList("a", null))))
            .insert(
                TransactionItem.of("ss-dropped")
                    .put("counterpartyName", Map.of("SS", Arrays.asList((String) null))))
            .insert(TransactionItem.of("ns").put("scores", Map.of("NS", Arrays.asList("1", null))))
            .insert(
                TransactionItem.of("bs").put("blobs", Map.of("BS", Arrays.asList("AAEC", null))))
            .insert(TransactionItem.of("good"));

    StreamsEventResponse response = run(batch);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(rows("SELECT transaction_id FROM bi.transactions"))
        .containsExactly(Map.of("transaction_id", "good"));
    assertThat(rows("SELECT error_code, attribute FROM etl.quarantine ORDER BY sequence_number"))
        .extracting(r -> r.get("error_code") + "/" + r.get("attribute"))
        .containsExactly(
            "UNPARSABLE_IMAGE/tags",
            "UNPARSABLE_IMAGE/counterpartyName",
            "UNPARSABLE_IMAGE/scores",
            "UNPARSABLE_IMAGE/blobs");
  }

  @Test
  void numbersOutsideDynamodbsRangeAreQuarantinedAsInvalidNumbers() throws SQLException {
    StreamEvents batch = StreamEvents.startingAt(1);
    String[] numbers = {
      "1e2147483648",
      "100e2147483647",
      "1e-2147483648",
      "1e126",
      "1e-131",
      "1234567890123456789012345678901234567890"
    };
    for (int i = 0; i < numbers.length; i++) {
      batch.insert(TransactionItem.of("amount-" + i).n("amount", numbers[i]));
      batch.insert(TransactionItem.of("dropped-" + i).n("counterpartyName", numbers[i]));
      batch.insert(TransactionItem.of("time-" + i).n("updatedAt", numbers[i]));
    }
    batch.insert(TransactionItem.of("good"));

    StreamsEventResponse response = run(batch);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(rows("SELECT transaction_id FROM bi.transactions"))
        .containsExactly(Map.of("transaction_id", "good"));
    assertThat(rows("SELECT DISTINCT error_code FROM etl.quarantine"))
        .containsExactly(Map.of("error_code", "INVALID_NUMBER"));
    assertThat(count("SELECT count(*) FROM etl.quarantine")).isEqualTo(3L * numbers.length);
  }

  @Test
  void controlCharactersAndOversizedMetadataAreSanitisedBeforeTheyAreStored() throws SQLException {
    String longId = "e".repeat(100_000);
    StreamEvents batch =
        StreamEvents.startingAt(1)
            .insert(TransactionItem.of("nul-event").s("currency", "EURO"))
            .withField("eventID", "ev\u0000nt\n1")
            .insert(TransactionItem.of("nul-arn").s("currency", "EURO"))
            .withField("eventSourceARN", StreamEvents.STREAM_ARN + "\u0000\u001b[31m")
            .insert(TransactionItem.of("nul-name"))
            .withField("eventName", "INS\u0000ERT")
            .insert(TransactionItem.of("long-id").s("currency", "EURO"))
            .withField("eventID", longId)
            .insert(TransactionItem.of("nul-attribute").put("odd\u0000name", Map.of()))
            .insert(TransactionItem.of("good"));

    StreamsEventResponse response = run(batch);
    StreamsEventResponse replay = run(batch);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(replay.getBatchItemFailures()).isEmpty();
    assertThat(rows("SELECT transaction_id FROM bi.transactions"))
        .containsExactly(Map.of("transaction_id", "good"));
    List<Map<String, Object>> stored =
        rows(
            "SELECT source_key->>'transaction_id' AS transaction_id, event_id, event_source_arn, event_name, error_code, attribute,"
                + " message FROM etl.quarantine ORDER BY sequence_number");
    assertThat(stored)
        .extracting(r -> r.get("transaction_id") + "/" + r.get("error_code"))
        .as("a replay stores nothing twice; an unreadable record has no transaction id")
        .containsExactly(
            "nul-event/INVALID_CURRENCY",
            "nul-arn/INVALID_CURRENCY",
            "null/UNKNOWN_EVENT_NAME",
            "long-id/INVALID_CURRENCY",
            "null/UNPARSABLE_IMAGE");
    assertThat(stored.get(0)).containsEntry("event_id", "ev?nt?1");
    assertThat(stored.get(1)).containsEntry("event_source_arn", StreamEvents.STREAM_ARN + "??[31m");
    assertThat(stored.get(2)).containsEntry("event_name", "INS?ERT");
    assertThat(stored.get(3).get("event_id").toString()).hasSizeLessThanOrEqualTo(256);
    assertThat(stored)
        .allSatisfy(
            r ->
                r.values().stream()
                    .filter(v -> v != null)
                    .forEach(
                        v ->
                            assertThat(v.toString())
                                .doesNotContain("\u0000", "\n", "\u001b")
                                .hasSizeLessThanOrEqualTo(1000)));
  }
}
