package dev.ddbwarehouse.backfill.table;

import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * What the backfill needs to know of a table. {@code itemCount} and {@code sizeBytes} are
 * DynamoDB's estimates, refreshed about every six hours.
 *
 * @param streamArn the latest stream's ARN, null when streams are off
 * @param streamView what the stream records carry, null when streams are off
 */
public record TableInfo(
    String name,
    String arn,
    TableStatus status,
    KeySchema keySchema,
    long itemCount,
    long sizeBytes,
    String streamArn,
    StreamViewType streamView) {

  static TableInfo of(TableDescription t) {
    boolean streaming =
        t.streamSpecification() != null
            && Boolean.TRUE.equals(t.streamSpecification().streamEnabled());
    return new TableInfo(
        t.tableName(),
        t.tableArn(),
        t.tableStatus(),
        KeySchema.of(t.keySchema(), t.attributeDefinitions()),
        t.itemCount() == null ? 0 : t.itemCount(),
        t.tableSizeBytes() == null ? 0 : t.tableSizeBytes(),
        streaming ? t.latestStreamArn() : null,
        streaming ? t.streamSpecification().streamViewType() : null);
  }

  public boolean hasStream() {
    return streamArn != null;
  }

  /** Whether stream records carry the new image, which the function needs for inserts. */
  public boolean streamCarriesNewImage() {
    return streamView == StreamViewType.NEW_IMAGE
        || streamView == StreamViewType.NEW_AND_OLD_IMAGES;
  }
}
