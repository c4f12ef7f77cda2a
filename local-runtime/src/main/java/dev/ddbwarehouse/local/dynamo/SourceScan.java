package dev.ddbwarehouse.local.dynamo;

import dev.ddbwarehouse.local.stream.LambdaEventJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Reads the source table back: how many items it holds, and all of them as JSON lines. */
public final class SourceScan {

  private SourceScan() {}

  public static long count(DynamoDbClient dynamoDb, String table) {
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          dynamoDb.scan(b -> b.tableName(table).select(Select.COUNT).exclusiveStartKey(from));
      count += page.count();
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return count;
  }

  /** The string values of {@code keyAttribute} of every item: which items the table holds. */
  public static List<String> keys(DynamoDbClient dynamoDb, String table, String keyAttribute) {
    List<String> keys = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          dynamoDb.scan(
              b ->
                  b.tableName(table)
                      .projectionExpression("#k")
                      .expressionAttributeNames(Map.of("#k", keyAttribute))
                      .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        AttributeValue key = item.get(keyAttribute);
        if (key != null && key.s() != null) keys.add(key.s());
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return keys;
  }

  /** Writes every item as one line of DynamoDB JSON; returns how many. */
  public static long export(DynamoDbClient dynamoDb, String table, Path file) {
    long count = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        ScanResponse page = dynamoDb.scan(b -> b.tableName(table).exclusiveStartKey(from));
        for (Map<String, AttributeValue> item : page.items()) {
          out.write(LambdaEventJson.item(item));
          out.write('\n');
          count++;
        }
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    return count;
  }
}
