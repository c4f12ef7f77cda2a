package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.backfill.table.AwsErrors;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.table.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads every item's key and version from a table (parallel scan, projection only) and looks the
 * keys up in the mapping entry's target table and in etl.quarantine, a page at a time. Used by
 * verify (on the source) and by teardown's drain check (on the shadow).
 */
public final class WarehouseComparison {

  /** A warehouse row's replay-guard version and whether it is soft-deleted. */
  record Row(Instant version, boolean deleted) {}

  private final DynamoDbClient dynamoDb;
  private final WarehouseDatabase warehouse;
  private final StoredKeys keys;
  private final List<String> quarantineTables;
  private final int segments;
  private final int sampleLimit;

  /**
   * @param quarantineTables the source tables whose quarantined records count for this entry;
   *     empty: any (a version 1 document's one entry takes every table)
   */
  public WarehouseComparison(
      DynamoDbClient dynamoDb,
      WarehouseDatabase warehouse,
      StoredKeys keys,
      List<String> quarantineTables,
      int segments,
      int sampleLimit) {
    if (segments < 1) {
      throw new IllegalArgumentException("--segments must be >= 1, was " + segments);
    }
    this.dynamoDb = dynamoDb;
    this.warehouse = warehouse;
    this.keys = keys;
    this.quarantineTables = List.copyOf(quarantineTables);
    this.segments = segments;
    this.sampleLimit = sampleLimit;
  }

  public ComparisonReport compare(String table) throws InterruptedException {
    ComparisonReport report = new ComparisonReport(table, keys.table().keyColumns(), sampleLimit);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            segments, Thread.ofPlatform().name("verify-segment-", 0).factory());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        int segment = s;
        futures.add(
            threads.submit(
                () -> {
                  compareSegment(table, segment, report);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException("comparison failed", e.getCause());
        }
      }
    } finally {
      threads.shutdownNow();
    }
    return report;
  }

  private void compareSegment(String table, int segment, ComparisonReport report)
      throws SQLException {
    List<String> names = keys.attributes();
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      placeholders.put("#a" + i, names.get(i));
    }
    String projection = String.join(", ", placeholders.keySet());
    try (Connection c = warehouse.connect()) {
      TargetRows target = TargetRows.of(c, keys.table());
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        ScanResponse page =
            scan(
                table,
                b ->
                    b.tableName(table)
                        .segment(segment)
                        .totalSegments(segments)
                        .projectionExpression(projection)
                        .expressionAttributeNames(placeholders)
                        .exclusiveStartKey(from));
        judgePage(c, target, page.items(), report);
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
    }
  }

  private ScanResponse scan(String table, Consumer<ScanRequest.Builder> request) {
    try {
      return dynamoDb.scan(request);
    } catch (AwsServiceException e) {
      throw AwsErrors.translate("Scan", table, e);
    }
  }

  private void judgePage(
      Connection c,
      TargetRows target,
      List<Map<String, AttributeValue>> items,
      ComparisonReport report)
      throws SQLException {
    List<StoredKey> pageKeys = new ArrayList<>();
    List<Optional<Instant>> versions = new ArrayList<>();
    for (Map<String, AttributeValue> raw : items) {
      Item item = keys.item(raw);
      Optional<StoredKey> key = keys.key(item);
      if (key.isEmpty()) {
        report.add(null, Verdict.NO_ID);
      } else {
        pageKeys.add(key.get());
        versions.add(keys.version(item));
      }
    }
    if (pageKeys.isEmpty()) {
      return;
    }
    Map<Integer, Row> rows = target.rows(c, pageKeys);
    boolean[] quarantined = target.quarantined(c, pageKeys, quarantineTables);
    for (int i = 0; i < pageKeys.size(); i++) {
      report.add(pageKeys.get(i), judge(versions.get(i), rows.get(i), quarantined[i]));
    }
  }

  /** The verdict on one item; {@code row} is null when the warehouse has none. */
  static Verdict judge(Optional<Instant> itemVersion, Row row, boolean quarantined) {
    if (row != null) {
      boolean current = itemVersion.isEmpty() || !row.version().isBefore(itemVersion.get());
      if (current) {
        return row.deleted() ? Verdict.DELETED_SINCE : Verdict.PRESENT;
      }
      return quarantined ? Verdict.QUARANTINED : Verdict.OUTDATED;
    }
    return quarantined ? Verdict.QUARANTINED : Verdict.MISSING;
  }

  /** For messages: the entry compared. */
  public TableSpec entry() {
    return keys.table();
  }
}
