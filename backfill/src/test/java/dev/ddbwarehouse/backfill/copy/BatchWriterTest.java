package dev.ddbwarehouse.backfill.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.backfill.BackfillException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class BatchWriterTest {

  /** Takes {@code accept} items per call and hands the rest back as UnprocessedItems. */
  private static final class PartialTable implements DynamoDbClient {
    final int accept;
    final List<Integer> sent = new ArrayList<>();

    PartialTable(int accept) {
      this.accept = accept;
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(Consumer<BatchWriteItemRequest.Builder> request) {
      List<WriteRequest> items =
          BatchWriteItemRequest.builder()
              .applyMutation(request)
              .build()
              .requestItems()
              .get("shadow");
      sent.add(items.size());
      List<WriteRequest> rest = items.subList(Math.min(accept, items.size()), items.size());
      return BatchWriteItemResponse.builder()
          .unprocessedItems(rest.isEmpty() ? Map.of() : Map.of("shadow", rest))
          .build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  private final List<Long> slept = new ArrayList<>();
  private final CopyCounters counters = new CopyCounters();

  private BatchWriter writer(DynamoDbClient client) {
    return new BatchWriter(
        client,
        "shadow",
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(80), 5),
        () -> 0.5,
        slept::add,
        counters);
  }

  private static List<Map<String, AttributeValue>> items(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> Map.of("pk", AttributeValue.fromS("t-" + i)))
        .toList();
  }

  @Test
  void resendsUnprocessedItemsWithGrowingJitteredWaitsUntilAllAreWritten()
      throws InterruptedException {
    PartialTable table = new PartialTable(10);

    writer(table).write(items(25));

    assertThat(table.sent).containsExactly(25, 15, 5);
    assertThat(slept).containsExactly(5_000_000L, 10_000_000L);
    assertThat(counters.written()).isEqualTo(25);
    assertThat(counters.unprocessedRetried()).isEqualTo(20);
  }

  @Test
  void failsAsThrottledWhenNothingGetsThroughAfterTheLastRetry() {
    assertThatThrownBy(() -> writer(new PartialTable(0)).write(items(3)))
        .isInstanceOfSatisfying(
            BackfillException.AwsCallFailed.class,
            e -> assertThat(e.kind()).isEqualTo(BackfillException.AwsCallFailed.Kind.THROTTLED))
        .hasMessageContaining("--resume");
    assertThat(slept).hasSize(5);
  }
}
