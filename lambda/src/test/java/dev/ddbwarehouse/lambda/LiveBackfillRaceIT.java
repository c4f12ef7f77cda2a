package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live stream and a backfill shadow stream are two event source mappings, so two batches can
 * write the same transactions at the same time. Each round here gives both streams the same keys
 * with upserts and deletes swapped (live upserts the even keys and deletes the odd ones, backfill
 * the reverse): any batch that locked its upserts and its deletes in two separately sorted passes
 * would meet the other in opposite orders.
 */
class LiveBackfillRaceIT {

  private static final TestWarehouse DB = TestWarehouse.shared();
  private static final String BACKFILL_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions-backfill/stream/2026-01-01T00:00:00.000";
  private static final int ROUNDS = 30;
  private static final int KEYS = 400;
  private static final String NEWER = "2026-01-01T11:00:00Z";
  private static final String OLDER = "2026-01-01T09:00:00Z";

  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @BeforeEach
  void setUp() {
    DB.truncateAll();
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  @Test
  void concurrentLiveAndBackfillBatchesWithOpposedKeyOrdersNeitherDeadlockNorLoseAChange()
      throws Exception {
    StreamHandler live = handler();
    StreamHandler backfill = handler();
    long deadlocksBefore = deadlocks();
    Map<String, String> expectedLive = new TreeMap<>();
    List<String> failures = new ArrayList<>();

    for (int round = 0; round < ROUNDS; round++) {
      StreamEvents liveBatch = StreamEvents.startingAt(round * 10_000L + 1);
      StreamEvents backfillBatch = StreamEvents.startingAt(round * 10_000L + 1, BACKFILL_ARN);
      for (int i = 0; i < KEYS; i++) {
        String id = "r%02d-k%04d".formatted(round, i);
        boolean liveWrites = i % 2 == 0;
        // Half the images are newer than the other stream's delete (the item was written again
        // after it), half older; either way the result does not depend on who commits first.
        boolean imageWins = (i / 2) % 2 == 0;
        TransactionItem deleted = TransactionItem.of(id); // updatedAt 10:00
        String status = liveWrites ? "FROM_LIVE" : "FROM_BACKFILL";
        TransactionItem image =
            TransactionItem.of(id).s("status", status).s("updatedAt", imageWins ? NEWER : OLDER);
        StreamEvents writer = liveWrites ? liveBatch : backfillBatch;
        StreamEvents deleter = liveWrites ? backfillBatch : liveBatch;
        if (i % 3 == 0) writer.insert(image); // the direct COPY lane
        else writer.modify(deleted, image); // the staged merge
        deleter.remove(deleted);
        if (imageWins) expectedLive.put(id, status);
      }
      CyclicBarrier together = new CyclicBarrier(2);
      Future<StreamsEventResponse> a = threads.submit(() -> run(live, liveBatch, together));
      Future<StreamsEventResponse> b = threads.submit(() -> run(backfill, backfillBatch, together));
      int r = round;
      for (Future<StreamsEventResponse> f : List.of(a, b)) {
        f.get()
            .getBatchItemFailures()
            .forEach(x -> failures.add("round " + r + " from " + x.getItemIdentifier()));
      }
    }

    long deadlocks = deadlocksSince(deadlocksBefore);
    assertThat(failures).as("batches reported for retry (%d deadlocks)", deadlocks).isEmpty();
    assertThat(deadlocks).as("deadlocks the server detected").isZero();
    assertThat(scalar("SELECT count(*) FROM warehouse.transactions"))
        .as("one row per key, none lost, none duplicated")
        .isEqualTo(ROUNDS * KEYS);
    assertThat(scalar("SELECT count(*) FROM warehouse.transactions WHERE deleted_at IS NOT NULL"))
        .isEqualTo(ROUNDS * KEYS - expectedLive.size());
    assertThat(liveRows()).isEqualTo(expectedLive);
  }

  private static StreamsEventResponse run(
      StreamHandler handler, StreamEvents batch, CyclicBarrier together) throws Exception {
    byte[] event = batch.bytes();
    together.await();
    return Invocations.invoke(handler, event, null);
  }

  private static StreamHandler handler() {
    return StreamHandler.fromEnvironment(
        TestKeys.environment(DB.writerEnvironment()), BatchObserver.NONE);
  }

  /**
   * The server's deadlock counter, once the pipeline's sessions have ended: a backend flushes its
   * statistics when it exits, while an idle one may hold them back for seconds.
   */
  private static long deadlocksSince(long before) throws Exception {
    DB.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE application_name = 'ddb-warehouse-etl'");
    for (int i = 0; i < 100; i++) {
      if (scalar(
              "SELECT count(*) FROM pg_stat_activity"
                  + " WHERE application_name = 'ddb-warehouse-etl'")
          == 0) break;
      Thread.sleep(20);
    }
    return deadlocks() - before;
  }

  private static long deadlocks() throws SQLException {
    return scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  }

  private static long scalar(String sql) throws SQLException {
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, String> liveRows() throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = DB.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT transaction_id, status FROM bi.transactions")) {
      while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
    }
    return rows;
  }
}
