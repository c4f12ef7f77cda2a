package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.lambda.StreamHandlerIT.rows;
import static dev.ddbwarehouse.lambda.StreamHandlerIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions far from the moment DynamoDB stamped the record (StreamEvents: 2026-01-01). */
class ImplausibleVersionIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    handler =
        StreamHandler.fromEnvironment(
            TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
  }

  private StreamsEventResponse run(StreamEvents events) {
    return Invocations.invoke(handler, events, null);
  }

  @Test
  void versionFarAheadIsQuarantinedAndCannotFreezeTheRow() throws SQLException {
    TransactionItem v1 = TransactionItem.of("t-1");
    TransactionItem sentinel =
        v1.copy().s("status", "FROZEN").s("updatedAt", "9999-12-31T00:00:00Z");
    TransactionItem v2 = v1.copy().s("status", "SETTLED").s("updatedAt", "2026-01-01T11:00:00Z");

    StreamsEventResponse response = run(StreamEvents.startingAt(1).insert(v1).modify(v1, sentinel));
    run(StreamEvents.startingAt(3).modify(sentinel, v2));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(
            rows(
                "SELECT source_key->>'transaction_id' AS transaction_id, error_code, attribute FROM etl.quarantine"))
        .containsExactly(
            Map.of(
                "transaction_id",
                "t-1",
                "error_code",
                "IMPLAUSIBLE_VERSION",
                "attribute",
                "updatedAt"));
    assertThat(single("SELECT status FROM bi.transactions WHERE transaction_id = 't-1'"))
        .as("the next correct image still applies")
        .containsEntry("status", "SETTLED");
  }

  @Test
  void deleteWhoseOldImageHasAnImplausibleVersionLeavesNoEverlastingTombstone()
      throws SQLException {
    TransactionItem sentinel = TransactionItem.of("t-1").s("updatedAt", "9999-12-31T00:00:00Z");
    TransactionItem again = TransactionItem.of("t-1").s("updatedAt", "2026-01-02T00:00:00Z");

    run(StreamEvents.startingAt(1).remove(sentinel));
    // The item written again, seen through the backfill's shadow stream: its version decides.
    run(
        StreamEvents.startingAt(
                1, "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/x")
            .insert(again));

    assertThat(rows("SELECT transaction_id FROM bi.transactions"))
        .containsExactly(Map.of("transaction_id", "t-1"));
  }
}
