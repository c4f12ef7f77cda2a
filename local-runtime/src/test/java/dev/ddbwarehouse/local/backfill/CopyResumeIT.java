package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.backfill.copy.Backoff;
import dev.ddbwarehouse.backfill.copy.CheckpointFile;
import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.copy.CopyResult;
import dev.ddbwarehouse.backfill.copy.CopySettings;
import dev.ddbwarehouse.backfill.copy.ParallelCopy;
import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.TableInfo;
import dev.ddbwarehouse.backfill.table.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Throttling (UnprocessedItems) and a crash mid-copy, then --resume: nothing lost, nothing twice.
 */
class CopyResumeIT {

  private static final int ITEMS = 3_000;

  private final LocalHarness local = LocalHarness.shared();
  @TempDir Path dir;

  @BeforeEach
  void cleanWarehouse() {
    local.warehouse.truncateAll();
  }

  @AfterEach
  void stopPollers() {
    local.stopAll();
  }

  @Test
  void throttledCopyThatCrashesResumesWithNothingLostOrDuplicated() throws Exception {
    String source = local.createSourceWithoutStream(LocalHarness.uniqueName("resume"));
    local.writeItems(source, 3_001, ITEMS);
    local.enableStream(source);
    TableInfo shadow =
        new ShadowTables(new Tables(local.dynamoDb()))
            .create(source, source + "-backfill")
            .shadow();
    StreamPositions shadowRead = new StreamPositions();
    local.poll(shadow.streamArn(), shadowRead);
    CopySettings settings =
        new CopySettings(
            source,
            shadow.name(),
            3,
            100,
            0,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(20), 12));
    Path file = CheckpointFile.defaultPath(dir, source, shadow.name());

    FlakyDynamoDb crashing = new FlakyDynamoDb(local.dynamoDb(), 80);
    ParallelCopy first =
        new ParallelCopy(
            crashing,
            settings,
            CheckpointFile.start(file, source, shadow.name(), 3),
            CopyListener.NONE);
    assertThatThrownBy(first::run).isInstanceOf(FlakyDynamoDb.SimulatedCrash.class);
    long afterCrash = CheckpointFile.resume(file, source, shadow.name(), 3).itemsCopied();
    assertThat(afterCrash).as("the crash came mid-copy").isBetween(1L, (long) ITEMS - 1);
    assertThat(first.counters().unprocessedRetried()).as("throttling was injected").isPositive();

    FlakyDynamoDb throttling = new FlakyDynamoDb(local.dynamoDb(), Integer.MAX_VALUE);
    CopyResult resumed =
        new ParallelCopy(
                throttling,
                settings,
                CheckpointFile.resume(file, source, shadow.name(), 3),
                CopyListener.NONE)
            .run();

    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.copiedBefore()).isEqualTo(afterCrash);
    assertThat(resumed.copied()).as("each source item counted exactly once").isEqualTo(ITEMS);
    assertThat(resumed.unprocessedRetried()).isPositive();
    Map<String, Object> shadowItems = itemsById(shadow.name());
    Map<String, Object> sourceItems = itemsById(source);
    assertThat(shadowItems.keySet())
        .as("shadow holds exactly the source's keys")
        .isEqualTo(sourceItems.keySet());
    assertThat(
            sourceItems.keySet().stream()
                .filter(id -> !sourceItems.get(id).equals(shadowItems.get(id)))
                .count())
        .as(
            "items differing between shadow and source, e.g. %s",
            sourceItems.keySet().stream()
                .filter(id -> !sourceItems.get(id).equals(shadowItems.get(id)))
                .findFirst()
                .orElse("none"))
        .isZero();
    local.awaitDrained(shadow.streamArn(), shadowRead, Duration.ofMinutes(1));
    assertThat(warehouseCount()).as("one row per item, none lost").isEqualTo(ITEMS);
  }

  private Map<String, Object> itemsById(String table) {
    Map<String, Object> items = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = local.dynamoDb().scan(b -> b.tableName(table).exclusiveStartKey(from));
      page.items()
          .forEach(i -> assertThat(items.put(i.get("transactionId").s(), comparable(i))).isNull());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  /** String sets come back in any order: compare them as sets, everything else as DynamoDB JSON. */
  private static Object comparable(Map<String, AttributeValue> item) {
    Map<String, Object> out = new TreeMap<>();
    item.forEach(
        (k, v) ->
            out.put(
                k,
                v.hasSs() ? new TreeSet<>(v.ss()) : v.hasM() ? comparable(v.m()) : v.toString()));
    return out;
  }

  private long warehouseCount() throws Exception {
    try (var c = local.warehouse.adminConnection();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT count(*) FROM warehouse.transactions WHERE deleted_at IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
