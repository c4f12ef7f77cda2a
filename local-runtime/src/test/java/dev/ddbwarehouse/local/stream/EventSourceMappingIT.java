package dev.ddbwarehouse.local.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.local.dynamo.DynamoDbLocal;
import dev.ddbwarehouse.local.dynamo.SourceTable;
import dev.ddbwarehouse.local.synth.SourceWorkload;
import dev.ddbwarehouse.local.synth.TransactionFaker;
import dev.ddbwarehouse.local.synth.WriteLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The poller against a real DynamoDB Local stream, with a function that only records what it saw.
 */
class EventSourceMappingIT {

  private static DynamoDbLocal dynamo;
  private static final AtomicInteger TABLES = new AtomicInteger();

  @BeforeAll
  static void startDynamo() {
    dynamo = DynamoDbLocal.start();
  }

  @AfterAll
  static void stopDynamo() {
    dynamo.close();
  }

  private record Delivered(
      List<DynamodbEvent.DynamodbStreamRecord> records, List<FailedBatch> failed) {}

  private static Delivered run(
      int items, int updates, int deletes, PollerSettings settings, StreamBatchFunction fn) {
    SourceTable table =
        SourceTable.create(dynamo.dynamoDb(), "poller-it-" + TABLES.incrementAndGet());
    WriteLog log = new WriteLog();
    SourceWorkload workload =
        new SourceWorkload(dynamo.dynamoDb(), table, new TransactionFaker(11, items), log, 2);
    workload.insert(items);
    workload.updateStatuses(updates);
    workload.delete(deletes);
    workload.close();
    List<DynamodbEvent.DynamodbStreamRecord> seen = new ArrayList<>();
    List<FailedBatch> failed = new ArrayList<>();
    long[] accepted = {0};
    DeliveryListener listener =
        new DeliveryListener() {
          @Override
          public void onCommitted(List<StreamRecordJson> records) {
            accepted[0] += records.size();
          }

          @Override
          public void onExhausted(FailedBatch batch) {
            failed.add(batch);
            accepted[0] += batch.size();
          }
        };
    StreamBatchFunction recording =
        event -> {
          StreamsEventResponse response = fn.invoke(event);
          List<String> failedIds =
              response.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).toList();
          for (DynamodbEvent.DynamodbStreamRecord r : event.parsed().getRecords()) {
            if (!failedIds.isEmpty()
                && r.getDynamodb().getSequenceNumber().equals(failedIds.get(0))) {
              break;
            }
            seen.add(r);
          }
          return response;
        };
    EventSourceMapping mapping =
        new EventSourceMapping(dynamo.streams(), table.streamArn(), settings, recording, listener);
    long deadline = System.currentTimeMillis() + 30_000;
    mapping.runUntil(() -> accepted[0] >= log.writes() || System.currentTimeMillis() > deadline);
    return new Delivered(seen, failed);
  }

  private static PollerSettings fast() {
    return PollerSettings.defaults().withIdlePollInterval(java.time.Duration.ofMillis(20));
  }

  @Test
  void deliversEveryInsertUpdateAndDeleteOnceAsLambdaShapedRecords() {
    Delivered delivered =
        run(500, 40, 10, fast().withBatchSize(100), event -> new StreamsEventResponse(List.of()));

    Map<String, Long> byName =
        delivered.records().stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    r -> r.getEventName(), java.util.stream.Collectors.counting()));
    assertThat(byName)
        .containsEntry("INSERT", 500L)
        .containsEntry("MODIFY", 40L)
        .containsEntry("REMOVE", 10L);
    assertThat(delivered.records())
        .allSatisfy(
            r -> {
              assertThat(r.getEventSource()).isEqualTo("aws:dynamodb");
              assertThat(r.getEventSourceARN()).contains(":table/poller-it-");
              assertThat(r.getDynamodb().getKeys()).containsKey("transactionId");
            });
    assertThat(delivered.records().stream().filter(r -> r.getEventName().equals("MODIFY")))
        .allSatisfy(r -> assertThat(r.getDynamodb().getOldImage()).isNotEmpty());
    assertThat(delivered.records().stream().map(r -> r.getDynamodb().getSequenceNumber()))
        .doesNotHaveDuplicates();
    assertThat(delivered.failed()).isEmpty();
  }

  @Test
  void batchesNeverExceedTheBatchSize() {
    List<Integer> sizes = new ArrayList<>();
    run(
        300,
        0,
        0,
        fast().withBatchSize(64),
        event -> {
          sizes.add(event.parsed().getRecords().size());
          return new StreamsEventResponse(List.of());
        });

    assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 64));
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
  }

  @Test
  void failedRecordIsRetriedFromItsSequenceNumberWithNothingLostOrDuplicated() {
    AtomicInteger calls = new AtomicInteger();
    Delivered delivered =
        run(
            200,
            0,
            0,
            fast().withBatchSize(50),
            event -> {
              if (calls.incrementAndGet() % 3 == 1) {
                String middle =
                    event
                        .parsed()
                        .getRecords()
                        .get(event.parsed().getRecords().size() / 2)
                        .getDynamodb()
                        .getSequenceNumber();
                return new StreamsEventResponse(
                    List.of(new StreamsEventResponse.BatchItemFailure(middle)));
              }
              return new StreamsEventResponse(List.of());
            });

    assertThat(delivered.records()).hasSize(200);
    assertThat(delivered.records().stream().map(r -> r.getDynamodb().getSequenceNumber()))
        .doesNotHaveDuplicates();
    assertThat(delivered.failed()).isEmpty();
  }
}
