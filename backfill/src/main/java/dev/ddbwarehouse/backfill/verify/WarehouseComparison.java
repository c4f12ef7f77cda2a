package dev.ddbwarehouse.backfill.verify;

import dev.ddbwarehouse.backfill.table.AwsErrors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Reads every item's id and version from a table (parallel scan, projection only) and looks the ids
 * up in warehouse.transactions and etl.quarantine, a page at a time. Used by verify (on the source)
 * and by teardown's drain check (on the shadow).
 */
public final class WarehouseComparison {

  private static final String ROWS =
      "SELECT transaction_id, source_version, deleted_at IS NOT NULL FROM warehouse.transactions"
          + " WHERE transaction_id = ANY(?)";
  private static final String QUARANTINED =
      "SELECT DISTINCT source_key->>'transaction_id' FROM etl.quarantine WHERE source_key->>'transaction_id' = ANY(?)";

  /** A warehouse row's replay-guard version and whether it is soft-deleted. */
  record Row(Instant version, boolean deleted) {}

  private final DynamoDbClient dynamoDb;
  private final WarehouseDatabase warehouse;
  private final String idAttribute;
  private final ItemVersion version;
  private final int segments;
  private final int sampleLimit;

  public WarehouseComparison(
      DynamoDbClient dynamoDb,
      WarehouseDatabase warehouse,
      String idAttribute,
      ItemVersion version,
      int segments,
      int sampleLimit) {
    if (segments < 1) {
      throw new IllegalArgumentException("--segments must be >= 1, was " + segments);
    }
    this.dynamoDb = dynamoDb;
    this.warehouse = warehouse;
    this.idAttribute = idAttribute;
    this.version = version;
    this.segments = segments;
    this.sampleLimit = sampleLimit;
  }

  public ComparisonReport compare(String table) throws InterruptedException {
    ComparisonReport report = new ComparisonReport(table, sampleLimit);
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
    List<String> names = new ArrayList<>(List.of(idAttribute));
    version.attributes().stream().filter(a -> !a.equals(idAttribute)).forEach(names::add);
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      placeholders.put("#a" + i, names.get(i));
    }
    String projection = String.join(", ", placeholders.keySet());
    try (Connection c = warehouse.connect()) {
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
        judgePage(c, page.items(), report);
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
      Connection c, List<Map<String, AttributeValue>> items, ComparisonReport report)
      throws SQLException {
    Map<String, Optional<Instant>> versions = new HashMap<>();
    for (Map<String, AttributeValue> item : items) {
      AttributeValue id = item.get(idAttribute);
      if (id == null || id.s() == null || id.s().isBlank()) {
        report.add(null, Verdict.NO_ID);
      } else {
        versions.put(id.s(), version.of(item));
      }
    }
    if (versions.isEmpty()) {
      return;
    }
    String[] ids = versions.keySet().toArray(String[]::new);
    Map<String, Row> rows = rows(c, ids);
    Set<String> quarantined = quarantined(c, ids);
    versions.forEach((id, v) -> report.add(id, judge(v, rows.get(id), quarantined.contains(id))));
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

  private static Map<String, Row> rows(Connection c, String[] ids) throws SQLException {
    Map<String, Row> rows = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(ROWS)) {
      Array array = c.createArrayOf("text", ids);
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.put(
              rs.getString(1),
              new Row(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getBoolean(3)));
        }
      }
    }
    return rows;
  }

  private static Set<String> quarantined(Connection c, String[] ids) throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(QUARANTINED)) {
      s.setArray(1, c.createArrayOf("text", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }
}
