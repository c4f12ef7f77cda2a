package dev.ddbwarehouse.local.backfill;

import dev.ddbwarehouse.backfill.copy.Backoff;
import dev.ddbwarehouse.backfill.copy.CheckpointFile;
import dev.ddbwarehouse.backfill.copy.CopyListener;
import dev.ddbwarehouse.backfill.copy.CopyResult;
import dev.ddbwarehouse.backfill.copy.CopySettings;
import dev.ddbwarehouse.backfill.copy.ParallelCopy;
import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.Tables;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.synth.TransactionFaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Copy throughput on DynamoDB Local, measured in one run on the same source: a naive copy (one
 * thread, scan then BatchWriteItem, no limit), the parallel copy without a limit, and the parallel
 * copy at a target rate, to see how closely the limit holds. Usage: BackfillBench [items (20000)]
 * [segments (4)] [target rate (2000)] [rounds (3)].
 */
public final class BackfillBench {

  private BackfillBench() {}

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int segments = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    double target = args.length > 2 ? Double.parseDouble(args[2]) : 2_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    for (int round = 1; round <= rounds; round++) {
      // Interleaved rounds, so a neighbour's build on the shared cores hits every mode alike; a
      // fresh DynamoDB Local per measurement, as it slows down over a long-lived run.
      double naive =
          measure(
              items,
              (db, source, shadow) -> {
                long t0 = System.nanoTime();
                long copied = naiveCopy(db, source, shadow);
                return copied / ((System.nanoTime() - t0) / 1e9);
              });
      double parallel =
          measure(
              items,
              (db, source, shadow) -> copy(db, source, shadow, segments, 0).itemsPerSecond());
      double limited =
          measure(
              items,
              (db, source, shadow) -> copy(db, source, shadow, segments, target).itemsPerSecond());
      System.out.printf(
          Locale.ROOT,
          "BENCH round=%d items=%d segments=%d naive_items_per_s=%.0f parallel_items_per_s=%.0f speedup=%.2f"
              + " rate_target=%.0f rate_measured=%.0f rate_error_pct=%.1f%n",
          round,
          items,
          segments,
          naive,
          parallel,
          parallel / naive,
          target,
          limited,
          100 * (limited - target) / target);
    }
  }

  /** One copy strategy, returning items/s. */
  private interface Strategy {
    double copy(DynamoDbClient db, String source, String shadow) throws Exception;
  }

  private static double measure(int items, Strategy strategy) throws Exception {
    try (DynamoDbLocal local = DynamoDbLocal.start()) {
      DynamoDbClient db = local.dynamoDb();
      // History without a stream, as when a backfill is needed.
      String source = "bench";
      db.createTable(
          b ->
              b.tableName(source)
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName(SourceTable.PARTITION_KEY)
                          .keyType(KeyType.HASH)
                          .build())
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(SourceTable.PARTITION_KEY)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      fill(db, source, items);
      String shadow =
          new ShadowTables(new Tables(db)).create(source, "bench-backfill").shadow().name();
      return strategy.copy(db, source, shadow);
    }
  }

  private static CopyResult copy(
      DynamoDbClient db, String source, String shadow, int segments, double rate) throws Exception {
    Path dir = Files.createTempDirectory("bench");
    CopySettings settings =
        new CopySettings(source, shadow, segments, 1000, rate, Backoff.defaults());
    return new ParallelCopy(
            db,
            settings,
            CheckpointFile.start(dir.resolve("cp.json"), source, shadow, segments),
            CopyListener.NONE)
        .run();
  }

  /** What a first attempt would do: one thread, a page at a time, 25 items per request. */
  private static long naiveCopy(DynamoDbClient db, String source, String shadow) {
    long copied = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = db.scan(b -> b.tableName(source).exclusiveStartKey(from));
      List<Map<String, AttributeValue>> pageItems = page.items();
      for (int i = 0; i < pageItems.size(); i += 25) {
        put(db, shadow, pageItems.subList(i, Math.min(pageItems.size(), i + 25)));
      }
      copied += pageItems.size();
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return copied;
  }

  private static void fill(DynamoDbClient db, String table, int items) {
    TransactionFaker faker = new TransactionFaker(42, items);
    List<Map<String, AttributeValue>> chunk = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      chunk.add(faker.next().toItem());
      if (chunk.size() == 25 || i == items - 1) {
        put(db, table, chunk);
        chunk.clear();
      }
    }
  }

  private static void put(
      DynamoDbClient db, String table, List<Map<String, AttributeValue>> items) {
    List<WriteRequest> pending =
        items.stream()
            .map(
                i ->
                    WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
            .toList();
    while (!pending.isEmpty()) {
      List<WriteRequest> sending = pending;
      BatchWriteItemResponse r = db.batchWriteItem(b -> b.requestItems(Map.of(table, sending)));
      pending = r.unprocessedItems().getOrDefault(table, List.of());
    }
  }
}
