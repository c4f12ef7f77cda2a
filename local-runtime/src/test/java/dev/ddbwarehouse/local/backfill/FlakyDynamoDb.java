package dev.ddbwarehouse.local.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB Local behind a throttling, crashing front: every other BatchWriteItem writes only the
 * first part of its items and returns the rest as UnprocessedItems, as a throttled table does;
 * after {@code crashAfter} calls every call throws, as a killed process stops writing.
 */
final class FlakyDynamoDb implements DynamoDbClient {

  /** What a crash looks like to the copy. */
  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash");
    }
  }

  private final DynamoDbClient real;
  private final int crashAfter;
  private final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger throttledCalls = new AtomicInteger();

  FlakyDynamoDb(DynamoDbClient real, int crashAfter) {
    this.real = real;
    this.crashAfter = crashAfter;
  }

  @Override
  public BatchWriteItemResponse batchWriteItem(Consumer<BatchWriteItemRequest.Builder> request) {
    BatchWriteItemRequest built = BatchWriteItemRequest.builder().applyMutation(request).build();
    int call = calls.incrementAndGet();
    if (call > crashAfter) {
      throw new SimulatedCrash();
    }
    if (call % 2 == 1) {
      return real.batchWriteItem(built);
    }
    throttledCalls.incrementAndGet();
    Map<String, List<WriteRequest>> sent = built.requestItems();
    String table = sent.keySet().iterator().next();
    List<WriteRequest> all = sent.get(table);
    int taken = all.size() / 2;
    if (taken > 0) {
      real.batchWriteItem(b -> b.requestItems(Map.of(table, all.subList(0, taken))));
    }
    return BatchWriteItemResponse.builder()
        .unprocessedItems(Map.of(table, new ArrayList<>(all.subList(taken, all.size()))))
        .build();
  }

  @Override
  public ScanResponse scan(Consumer<ScanRequest.Builder> request) {
    return real.scan(request);
  }

  @Override
  public String serviceName() {
    return real.serviceName();
  }

  @Override
  public void close() {}
}
