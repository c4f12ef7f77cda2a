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
 * The source table of transactions: partition key {@code transactionId}, stream NEW_AND_OLD_IMAGES.
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
    dynamoDb.createTable(b -> keyAndBilling(b, name).streamSpecification(newAndOldImages()));
    TableDescription table = awaitActive(dynamoDb, name, Duration.ofSeconds(30));
    return new SourceTable(name, table.latestStreamArn());
  }

  /**
   * Creates the table without a stream, as an application older than the pipeline made it: what is
   * written now is in no stream and reaches the warehouse only through the backfill.
   */
  public static void createWithoutStream(DynamoDbClient dynamoDb, String name) {
    dynamoDb.createTable(b -> keyAndBilling(b, name));
    awaitActive(dynamoDb, name, Duration.ofSeconds(30));
  }

  /** Turns on the stream of a table made by {@link #createWithoutStream}; waits until ACTIVE. */
  public static SourceTable enableStream(DynamoDbClient dynamoDb, String name) {
    dynamoDb.updateTable(b -> b.tableName(name).streamSpecification(newAndOldImages()));
    TableDescription table = awaitActive(dynamoDb, name, Duration.ofSeconds(30));
    return new SourceTable(name, table.latestStreamArn());
  }

  private static CreateTableRequest.Builder keyAndBilling(
      CreateTableRequest.Builder b, String name) {
    return b.tableName(name)
        .keySchema(
            KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
        .attributeDefinitions(
            AttributeDefinition.builder()
                .attributeName(PARTITION_KEY)
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
