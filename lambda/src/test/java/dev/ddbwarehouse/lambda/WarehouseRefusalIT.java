package dev.ddbwarehouse.lambda;

import static dev.ddbwarehouse.lambda.StreamHandlerIT.count;
import static dev.ddbwarehouse.lambda.StreamHandlerIT.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows that pass validation but that the database refuses deterministically, whatever SQLSTATE
 * class it refuses them with: they are quarantined and the rest of the batch commits.
 */
class WarehouseRefusalIT {

  private static final TestWarehouse DB = TestWarehouse.shared();

  private StreamHandler handler;

  @BeforeEach
  void setUp() {
    DB.truncateAll();
    handler =
        StreamHandler.fromEnvironment(
            TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
  }

  /** Random letters do not compress: far over the btree limit (SQLSTATE 54000). */
  private static String overLongKey(long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder("long-");
    for (int i = 0; i < 10_000; i++) b.append((char) ('!' + random.nextInt(94)));
    return b.toString();
  }

  private static StreamEvents hundredValid() {
    StreamEvents batch = StreamEvents.startingAt(1);
    for (int i = 0; i < 100; i++) batch.insert(TransactionItem.of("t-" + i));
    return batch;
  }

  @Test
  void keyOverTheIndexLimitIsQuarantinedAndTheOtherHundredCommit() throws SQLException {
    StreamEvents batch = hundredValid().insert(TransactionItem.of(overLongKey(1)));

    StreamsEventResponse response = Invocations.invoke(handler, batch, null);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(100);
    assertThat(rows("SELECT error_code, message FROM etl.quarantine"))
        .containsExactly(
            Map.of(
                "error_code",
                "REJECTED_BY_WAREHOUSE",
                "message",
                "the warehouse refused the row (SQLSTATE 54000)"));
  }

  @Test
  void twoRefusedRowsInBothLanesAreQuarantinedAndTheOtherHundredCommit() throws SQLException {
    TransactionItem modified = TransactionItem.of(overLongKey(3));
    StreamEvents batch =
        hundredValid()
            .insert(TransactionItem.of(overLongKey(2)))
            .modify(modified, modified.copy().s("status", "SETTLED"));

    StreamsEventResponse response = Invocations.invoke(handler, batch, null);
    StreamsEventResponse replay = Invocations.invoke(handler, batch, null);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(replay.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(100);
    assertThat(rows("SELECT error_code FROM etl.quarantine"))
        .containsExactly(
            Map.of("error_code", "REJECTED_BY_WAREHOUSE"),
            Map.of("error_code", "REJECTED_BY_WAREHOUSE"));
  }

  @Test
  void idsThatWouldCollideOnceEncodedAreQuarantinedAsInvalid() throws SQLException {
    // Two lone surrogates: distinct Java strings, but both are sent as "dup-?", so the merge would
    // touch one row twice (SQLSTATE 21000) and the warehouse would hold an id the source lacks.
    String json =
        hundredValid()
            .insert(TransactionItem.of("dup-SURROGATE1"))
            .insert(TransactionItem.of("dup-SURROGATE2"))
            .json()
            .replace("SURROGATE1", "\\ud800")
            .replace("SURROGATE2", "\\udc00");

    StreamsEventResponse response =
        Invocations.invoke(handler, json.getBytes(StandardCharsets.UTF_8), null);

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(100);
    assertThat(rows("SELECT error_code, attribute FROM etl.quarantine"))
        .containsExactly(
            Map.of("error_code", "INVALID_VALUE", "attribute", "transactionId"),
            Map.of("error_code", "INVALID_VALUE", "attribute", "transactionId"));
  }

  @Test
  void batchWhoseEveryRowIsRefusedIsRetriedNotQuarantined() throws SQLException {
    // A schema fault, not the records': quarantining the whole batch would hide it.
    DB.execute(
        "ALTER TABLE warehouse.transactions ADD CONSTRAINT it_broken CHECK (amount < 0) NOT VALID");
    try {
      StreamsEventResponse response = Invocations.invoke(handler, hundredValid(), null);

      assertThat(response.getBatchItemFailures())
          .extracting(f -> f.getItemIdentifier())
          .containsExactly(StreamEvents.sequence(1));
      assertThat(count("SELECT count(*) FROM etl.quarantine")).isZero();
    } finally {
      DB.execute("ALTER TABLE warehouse.transactions DROP CONSTRAINT it_broken");
    }
  }
}
