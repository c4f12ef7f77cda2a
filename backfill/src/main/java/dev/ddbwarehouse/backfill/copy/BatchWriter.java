package dev.ddbwarehouse.backfill.copy;

import dev.ddbwarehouse.backfill.table.AwsErrors;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts up to 25 items with BatchWriteItem until DynamoDB has taken all of them: UnprocessedItems
 * (partial throttling) and throttling errors are retried after {@link Backoff} waits; a batch still
 * not done after the last retry fails the copy as throttled (resumable).
 */
final class BatchWriter {

  /** BatchWriteItem takes at most 25 requests. */
  static final int MAX_ITEMS = 25;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Backoff backoff;
  private final DoubleSupplier random;
  private final RateLimiter.Sleeper sleeper;
  private final CopyCounters counters;

  BatchWriter(
      DynamoDbClient dynamoDb,
      String table,
      Backoff backoff,
      DoubleSupplier random,
      RateLimiter.Sleeper sleeper,
      CopyCounters counters) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.backoff = backoff;
    this.random = random;
    this.sleeper = sleeper;
    this.counters = counters;
  }

  void write(List<Map<String, AttributeValue>> items) throws InterruptedException {
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException(
          "BatchWriteItem takes at most " + MAX_ITEMS + " items, got " + items.size());
    }
    List<WriteRequest> pending =
        items.stream()
            .map(
                i ->
                    WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
            .toList();
    int attempt = 0;
    while (!pending.isEmpty()) {
      List<WriteRequest> sending = pending;
      BatchWriteItemResponse response;
      try {
        counters.requests.incrementAndGet();
        response = dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, sending)));
      } catch (AwsServiceException e) {
        if (!AwsErrors.isThrottling(e)) {
          throw AwsErrors.translate("BatchWriteItem", table, e);
        }
        counters.throttled.incrementAndGet();
        attempt = backOff(attempt, e);
        continue;
      }
      List<WriteRequest> unprocessed =
          response.hasUnprocessedItems()
              ? response.unprocessedItems().getOrDefault(table, List.of())
              : List.of();
      counters.written.addAndGet(sending.size() - unprocessed.size());
      if (!unprocessed.isEmpty()) {
        counters.unprocessedRetried.addAndGet(unprocessed.size());
        attempt = backOff(attempt, null);
      }
      pending = unprocessed;
    }
  }

  private int backOff(int attempt, Exception cause) throws InterruptedException {
    if (backoff.exhausted(attempt)) {
      throw AwsErrors.throttled("BatchWriteItem", table, cause);
    }
    sleeper.sleepNanos(backoff.delayNanos(attempt, random));
    return attempt + 1;
  }
}
