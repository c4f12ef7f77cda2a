package dev.ddbwarehouse.backfill.table;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/**
 * DescribeTable, waiting for a status, tags and DeleteTable, with errors an operator can act on.
 */
public final class Tables {

  private final DynamoDbClient dynamoDb;

  public Tables(DynamoDbClient dynamoDb) {
    this.dynamoDb = dynamoDb;
  }

  public DynamoDbClient client() {
    return dynamoDb;
  }

  /** The table, or a NOT_FOUND error naming it. */
  public TableInfo describe(String table) {
    return AwsErrors.call("DescribeTable", table, () -> TableInfo.of(describeRaw(table)));
  }

  /** The table if it exists. */
  public Optional<TableInfo> find(String table) {
    try {
      return Optional.of(TableInfo.of(describeRaw(table)));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (AwsServiceException e) {
      throw AwsErrors.translate("DescribeTable", table, e);
    }
  }

  private TableDescription describeRaw(String table) {
    return dynamoDb.describeTable(b -> b.tableName(table)).table();
  }

  public TableInfo awaitActive(String table, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      TableInfo info = describe(table);
      if (info.status() == TableStatus.ACTIVE) {
        return info;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "table " + table + " is " + info.status() + ", not ACTIVE, after " + max);
      }
      pause(250);
    }
  }

  /** The table's tags; empty when the endpoint has no tagging API (DynamoDB Local has none). */
  public Optional<Map<String, String>> tags(TableInfo table) {
    try {
      return Optional.of(
          dynamoDb.listTagsOfResource(b -> b.resourceArn(table.arn())).tags().stream()
              .collect(Collectors.toMap(Tag::key, Tag::value)));
    } catch (AwsServiceException e) {
      if (e.awsErrorDetails() != null
          && "UnknownOperationException".equals(e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw AwsErrors.translate("ListTagsOfResource", table.name(), e);
    }
  }

  /** Deletes the table and waits until it is gone. */
  public void delete(String table, Duration max) {
    AwsErrors.call("DeleteTable", table, () -> dynamoDb.deleteTable(b -> b.tableName(table)));
    long deadline = System.nanoTime() + max.toNanos();
    while (find(table).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "table " + table + " still exists " + max + " after DeleteTable");
      }
      pause(250);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a table", e);
    }
  }
}
