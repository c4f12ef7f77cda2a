package dev.ddbwarehouse.backfill.bench;

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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Copy throughput on DynamoDB Local, measured in one run on the same source: a naive copy (one
 * thread, scan then BatchWriteItem, no limit), the parallel copy without a limit, and the
 * parallel copy at a target rate, to see how closely the limit holds.
 * Usage: BackfillBench [items (20000)] [segments (4)] [target rate (2000)].
 */
public final class BackfillBench {

  private BackfillBench() {}

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int segments = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    double target = args.length > 2 ? Double.parseDouble(args[2]) : 2_000;
    try (DynamoDbLocal local = DynamoDbLocal.start()) {
      DynamoDbClient db = local.dynamoDb();
      String source = SourceTable.create(db, "bench").name();
      fill(db, source, items);
      Tables tables = new Tables(db);
      ShadowTables shadows = new ShadowTables(tables);

      String naiveShadow = shadows.create(source, "bench-naive").shadow().name();
      long t0 = System.nanoTime();
      long naiveCount = naiveCopy(db, source, naiveShadow);
      double naive = naiveCount / ((System.nanoTime() - t0) / 1e9);

      CopyResult parallel = copy(db, source, shadows.create(source, "bench-parallel").shadow().name(), segments, 0);
      CopyResult limited = copy(db, source, shadows.create(source, "bench-limited").shadow().name(), segments, target);

      System.out.printf(Locale.ROOT,
          "BENCH items=%d segments=%d naive_items_per_s=%.0f parallel_items_per_s=%.0f speedup=%.2f"
              + " rate_target=%.0f rate_measured=%.0f rate_error_pct=%.1f%n",
          items, segments, naive, parallel.itemsPerSecond(), parallel.itemsPerSecond() / naive, target,
          limited.itemsPerSecond(), 100 * (limited.itemsPerSecond() - target) / target);
    }
  }

  private static CopyResult copy(DynamoDbClient db, String source, String shadow, int segments, double rate) throws Exception {
    Path dir = Files.createTempDirectory("bench");
    CopySettings settings = new CopySettings(source, shadow, segments, 1000, rate, Backoff.defaults());
    return new ParallelCopy(db, settings, CheckpointFile.start(dir.resolve("cp.json"), source, shadow, segments), CopyListener.NONE).run();
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
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
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

  private static void put(DynamoDbClient db, String table, List<Map<String, AttributeValue>> items) {
    List<WriteRequest> pending =
        items.stream().map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build()).toList();
    while (!pending.isEmpty()) {
      List<WriteRequest> sending = pending;
      BatchWriteItemResponse r = db.batchWriteItem(b -> b.requestItems(Map.of(table, sending)));
      pending = r.unprocessedItems().getOrDefault(table, List.of());
    }
  }
}
