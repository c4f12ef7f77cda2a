package dev.ddbwarehouse.local.dynamo;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A local source table with its stream (NEW_AND_OLD_IMAGES): by default the transactions'
 * (partition key {@code transactionId}); {@link #create(DynamoDbClient, String, String)} takes
 * another key.
 */
public record SourceTable(String name, String streamArn) {

  public static final String PARTITION_KEY = "transactionId";

  public SourceTable {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("table name is required");
    }
    if (streamArn == null || streamArn.isBlank()) {
      throw new IllegalArgumentException("table " + name + " has no stream");
    }
  }

  /** Creates the table with its stream and waits until it is ACTIVE. */
  public static SourceTable create(DynamoDbClient dynamoDb, String name) {
    return create(dynamoDb, name, PARTITION_KEY);
  }

  /**
   * Creates a table keyed by the string {@code partitionKey}, with its stream; waits for ACTIVE.
   */
  public static SourceTable create(DynamoDbClient dynamoDb, String name, String partitionKey) {
    dynamoDb.createTable(
        b -> keyAndBilling(b, name, partitionKey).streamSpecification(newAndOldImages()));
    TableDescription table = awaitActive(dynamoDb, name, Duration.ofSeconds(30));
    return new SourceTable(name, table.latestStreamArn());
  }

  /**
   * Creates the table without a stream, as an application older than the pipeline made it: what is
   * written now is in no stream and reaches the warehouse only through the backfill.
   */
  public static void createWithoutStream(DynamoDbClient dynamoDb, String name) {
    dynamoDb.createTable(b -> keyAndBilling(b, name, PARTITION_KEY));
    awaitActive(dynamoDb, name, Duration.ofSeconds(30));
  }

  /** Turns on the stream of a table made by {@link #createWithoutStream}; waits until ACTIVE. */
  public static SourceTable enableStream(DynamoDbClient dynamoDb, String name) {
    dynamoDb.updateTable(b -> b.tableName(name).streamSpecification(newAndOldImages()));
    TableDescription table = awaitActive(dynamoDb, name, Duration.ofSeconds(30));
    return new SourceTable(name, table.latestStreamArn());
  }

  private static CreateTableRequest.Builder keyAndBilling(
      CreateTableRequest.Builder b, String name, String partitionKey) {
    return b.tableName(name)
        .keySchema(
            KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build())
        .attributeDefinitions(
            AttributeDefinition.builder()
                .attributeName(partitionKey)
                .attributeType(ScalarAttributeType.S)
                .build())
        .billingMode(BillingMode.PAY_PER_REQUEST);
  }

  /** NEW_AND_OLD_IMAGES: the handler needs the old image of deletes. */
  private static StreamSpecification newAndOldImages() {
    return StreamSpecification.builder()
        .streamEnabled(true)
        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
        .build();
  }

  private static TableDescription awaitActive(DynamoDbClient dynamoDb, String name, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      TableDescription table = dynamoDb.describeTable(b -> b.tableName(name)).table();
      if (table.tableStatus() == TableStatus.ACTIVE) {
        return table;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("table " + name + " not ACTIVE after " + max);
      }
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a table", e);
    }
  }
}
