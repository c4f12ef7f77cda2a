package dev.ddbwarehouse.local.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Up to N items of a source table, in scan order: the items whose identifying values the PII
 * scanner then looks for in the warehouse. A scan, not a random sample: cheap, and the first items
 * of a scan are as good as any for "did an item's values reach the warehouse".
 */
public final class SourceSample {

  private static final int PAGE = 1_000;

  private SourceSample() {}

  public static List<Map<String, AttributeValue>> items(
      DynamoDbClient dynamoDb, String table, int limit) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      int page = Math.min(PAGE, limit - items.size());
      ScanResponse response =
          dynamoDb.scan(b -> b.tableName(table).limit(page).exclusiveStartKey(from));
      items.addAll(response.items());
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null && items.size() < limit);
    return items.size() > limit ? items.subList(0, limit) : items;
  }
}
