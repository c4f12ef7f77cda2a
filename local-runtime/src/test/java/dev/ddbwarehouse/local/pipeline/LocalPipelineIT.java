package dev.ddbwarehouse.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.stream.PollerSettings;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import dev.ddbwarehouse.privacyscan.KnownValues;
import dev.ddbwarehouse.privacyscan.LeakScanner;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: DynamoDB Local → local event source mapping → real handler → PostgreSQL. */
class LocalPipelineIT {

  private static final int ITEMS = 500;
  private static final AtomicInteger TABLES = new AtomicInteger();

  private static DynamoDbLocal dynamo;
  private static TestWarehouse warehouse;
  private static Path keyFile;

  @TempDir static Path keyDir;

  @BeforeAll
  static void start() throws Exception {
    dynamo = DynamoDbLocal.start();
    warehouse = TestWarehouse.shared();
    keyFile = keyDir.resolve("hmac-secret.json");
    HmacSecretFile.generate(keyFile);
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  @BeforeEach
  void clean() {
    warehouse.truncateAll();
  }

  private static LocalPipeline pipeline(
      PollerSettings settings, UnaryOperator<StreamBatchFunction> decorate) {
    WarehouseFunction.Settings handler =
        new WarehouseFunction.Settings(
            warehouse.jdbcUrl(),
            TestWarehouse.WRITER_USER,
            TestWarehouse.TEST_PASSWORD,
            keyFile,
            catchAllMapping(),
            null);
    return new LocalPipeline(dynamo, settings, handler, decorate);
  }

  /** Tables here get fresh names (e2e-N): a version 1 document's one entry takes every table. */
  private static java.nio.file.Path catchAllMapping() {
    try {
      java.nio.file.Path f = keyFile.resolveSibling("mapping-v1.json");
      java.nio.file.Files.writeString(f, "{\"attributes\": {}}");
      return f;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PollerSettings settings() {
    return PollerSettings.defaults().withBatchSize(200).withIdlePollInterval(Duration.ofMillis(20));
  }

  /** Writes the workload, waits for the pipeline, returns the table. */
  private static SourceTable runWorkload(LocalPipeline pipeline, int updates, int deletes)
      throws Exception {
    SourceTable table = pipeline.createTable("e2e-" + TABLES.incrementAndGet());
    pipeline.poll(table);
    try (SourceWorkload workload = pipeline.workload(table, 7, ITEMS, 2)) {
      workload.insert(ITEMS);
      workload.updateStatuses(updates);
      workload.delete(deletes);
    }
    assertThat(pipeline.awaitSettled(Duration.ofSeconds(60))).as("pipeline settled").isTrue();
    return table;
  }

  /** transactionId → status, as the source table holds them now. */
  private static Map<String, String> sourceStatuses(SourceTable table) {
    Map<String, String> statuses = new HashMap<>();
    dynamo
        .dynamoDb()
        .scanPaginator(b -> b.tableName(table.name()))
        .items()
        .forEach(item -> statuses.put(item.get("transactionId").s(), item.get("status").s()));
    return statuses;
  }

  private static Map<String, String> warehouseStatuses() throws Exception {
    Map<String, String> statuses = new HashMap<>();
    try (Connection c = warehouse.readerConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT transaction_id, status FROM bi.transactions")) {
      while (rs.next()) {
        statuses.put(rs.getString(1), rs.getString(2));
      }
    }
    return statuses;
  }

  private static long count(String sql) throws Exception {
    try (Connection c = warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void everySourceItemBecomesOneRowWithUpdatesAndDeletesApplied() throws Exception {
    try (LocalPipeline pipeline = pipeline(settings(), UnaryOperator.identity())) {
      SourceTable table = runWorkload(pipeline, 50, 20);

      Map<String, String> source = sourceStatuses(table);
      assertThat(source).hasSize(ITEMS - 20);
      assertThat(warehouseStatuses())
          .as("bi.transactions mirrors the source table")
          .isEqualTo(source);
      assertThat(count("SELECT count(*) FROM warehouse.transactions WHERE deleted_at IS NOT NULL"))
          .isEqualTo(20);
      assertThat(count("SELECT count(*) FROM etl.quarantine")).isZero();
      RunStats.Snapshot stats = pipeline.stats().snapshot();
      assertThat(stats.upserted()).isEqualTo(ITEMS + 50);
      assertThat(stats.deleted()).isEqualTo(20);
      assertThat(stats.droppedAttributes()).containsKeys("metadata", "counterpartyName");
      try (Connection admin = warehouse.adminConnection()) {
        LeakScanner.Result leaks =
            LeakScanner.of(KnownValues.of(pipeline.writes().identifyingValues())).scan(admin);
        assertThat(leaks.columns()).as("identifying values found in the database").isEmpty();
        assertThat(leaks.valuesScanned()).isGreaterThan(ITEMS);
      }
    }
  }

  @Test
  void injectedHandlerFailuresAreRetriedAndNothingIsLostOrDuplicated() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    UnaryOperator<StreamBatchFunction> flaky =
        real ->
            event -> {
              int call = calls.incrementAndGet();
              if (call % 4 == 1) {
                throw new IllegalStateException("injected function error");
              }
              if (call % 4 == 2 && event.parsed().getRecords().size() > 1) {
                // Commit the first half for real, then report the middle record as failed.
                List<DynamodbEvent.DynamodbStreamRecord> records = event.parsed().getRecords();
                int middle = records.size() / 2;
                assertThat(real.invoke(event.first(middle)).getBatchItemFailures()).isEmpty();
                String failed = records.get(middle).getDynamodb().getSequenceNumber();
                return new StreamsEventResponse(
                    List.of(new StreamsEventResponse.BatchItemFailure(failed)));
              }
              return real.invoke(event);
            };
    try (LocalPipeline pipeline = pipeline(settings().withMaxRetries(10), flaky)) {
      SourceTable table = runWorkload(pipeline, 50, 20);

      RunStats.Snapshot stats = pipeline.stats().snapshot();
      assertThat(calls.get()).as("failures were injected").isGreaterThan(4);
      assertThat(stats.retries()).isPositive();
      assertThat(stats.failedBatches()).isEmpty();
      assertThat(stats.recordsAccepted())
          .as("each stream record accepted exactly once")
          .isEqualTo(pipeline.writes().writes());
      assertThat(warehouseStatuses()).isEqualTo(sourceStatuses(table));
      assertThat(count("SELECT count(*) FROM warehouse.transactions")).isEqualTo(ITEMS);
    }
  }

  @Test
  void recordThatKeepsFailingIsReportedWithItsPositionAndTheRestIsCommitted() throws Exception {
    AtomicReference<String> poisonKey = new AtomicReference<>();
    UnaryOperator<StreamBatchFunction> poisoned =
        real ->
            event -> {
              for (DynamodbEvent.DynamodbStreamRecord r : event.parsed().getRecords()) {
                String key = r.getDynamodb().getKeys().get("transactionId").getS();
                poisonKey.compareAndSet(null, key);
                if (key.equals(poisonKey.get())) {
                  throw new IllegalStateException("poison");
                }
              }
              return real.invoke(event);
            };
    try (LocalPipeline pipeline = pipeline(settings().withMaxRetries(1), poisoned)) {
      SourceTable table = runWorkload(pipeline, 0, 0);

      RunStats.Snapshot stats = pipeline.stats().snapshot();
      assertThat(stats.failedBatches())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.size()).isEqualTo(1);
                assertThat(f.attempts()).isEqualTo(2);
              });
      assertThat(stats.recordsReported()).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM bi.transactions")).isEqualTo(ITEMS - 1);
      assertThat(sourceStatuses(table))
          .as("the source keeps the item")
          .containsKey(poisonKey.get());
    }
  }
}
