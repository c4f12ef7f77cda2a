package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.backfill.table.ShadowTables;
import dev.ddbwarehouse.backfill.table.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The stream ARN of a table that is tagged as a shadow. */
final class ShadowStream {

  private ShadowStream() {}

  static String arn(DynamoOptions dynamo, String shadow) {
    try (DynamoDbClient client = dynamo.client()) {
      return new ShadowTables(new Tables(client)).requireShadow(shadow, null).streamArn();
    }
  }
}
