package dev.ddbwarehouse.local.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatchDeliveryTest {

  private final List<String> committed = new ArrayList<>();
  private final List<FailedBatch> exhausted = new ArrayList<>();
  private final List<List<String>> invocations = new ArrayList<>();

  private final DeliveryListener listener =
      new DeliveryListener() {
        @Override
        public void onCommitted(List<StreamRecordJson> records) {
          records.forEach(r -> committed.add(r.sequenceNumber()));
        }

        @Override
        public void onExhausted(FailedBatch failed) {
          exhausted.add(failed);
        }
      };

  private static List<StreamRecordJson> records(int count) {
    List<StreamRecordJson> records = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String seq = Integer.toString(100 + i);
      String json =
          "{\"eventID\":\"e"
              + i
              + "\",\"eventName\":\"INSERT\",\"eventSource\":\"aws:dynamodb\","
              + "\"dynamodb\":{\"Keys\":{\"transactionId\":{\"S\":\"t"
              + i
              + "\"}},"
              + "\"SequenceNumber\":\""
              + seq
              + "\",\"SizeBytes\":10,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
              + "\"eventSourceARN\":\"arn:local\"}";
      records.add(
          new StreamRecordJson("shard-1", seq, "t" + i, json.getBytes(StandardCharsets.UTF_8)));
    }
    return records;
  }

  private BatchDelivery delivery(
      int maxRetries, Function<List<String>, StreamsEventResponse> behaviour) {
    StreamBatchFunction function =
        event -> {
          List<String> seqs =
              event.parsed().getRecords().stream()
                  .map(r -> r.getDynamodb().getSequenceNumber())
                  .toList();
          invocations.add(seqs);
          return behaviour.apply(seqs);
        };
    PollerSettings settings = PollerSettings.defaults().withMaxRetries(maxRetries);
    return new BatchDelivery("arn:local", function, settings, listener, attempt -> {});
  }

  private static StreamsEventResponse failAt(String sequenceNumber) {
    return new StreamsEventResponse(
        List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber)));
  }

  private static StreamsEventResponse ok() {
    return new StreamsEventResponse(List.of());
  }

  @Test
  void successfulBatchIsCommittedInOneInvocation() {
    delivery(3, seqs -> ok()).deliver(records(5));

    assertThat(invocations).hasSize(1);
    assertThat(committed).containsExactly("101", "102", "103", "104", "105");
    assertThat(exhausted).isEmpty();
  }

  @Test
  void partialFailureCommitsRecordsBeforeItAndRetriesFromTheNamedRecord() {
    boolean[] failedOnce = {false};
    delivery(
            3,
            seqs -> {
              if (!failedOnce[0]) {
                failedOnce[0] = true;
                return failAt("103");
              }
              return ok();
            })
        .deliver(records(5));

    assertThat(invocations)
        .containsExactly(List.of("101", "102", "103", "104", "105"), List.of("103", "104", "105"));
    assertThat(committed)
        .as("each record committed exactly once, in order")
        .containsExactly("101", "102", "103", "104", "105");
  }

  @Test
  void lowestNamedSequenceNumberIsTheCheckpoint() {
    boolean[] failedOnce = {false};
    delivery(
            3,
            seqs -> {
              if (!failedOnce[0]) {
                failedOnce[0] = true;
                return new StreamsEventResponse(
                    List.of(
                        new StreamsEventResponse.BatchItemFailure("104"),
                        new StreamsEventResponse.BatchItemFailure("102")));
              }
              return ok();
            })
        .deliver(records(5));

    assertThat(invocations.get(1)).containsExactly("102", "103", "104", "105");
    assertThat(committed).containsExactly("101", "102", "103", "104", "105");
  }

  @Test
  void unknownItemIdentifierRetriesTheWholeBatch() {
    boolean[] failedOnce = {false};
    delivery(
            3,
            seqs -> {
              if (!failedOnce[0]) {
                failedOnce[0] = true;
                return failAt("999");
              }
              return ok();
            })
        .deliver(records(3));

    assertThat(invocations)
        .containsExactly(List.of("101", "102", "103"), List.of("101", "102", "103"));
    assertThat(committed).containsExactly("101", "102", "103");
  }

  @Test
  void functionErrorBisectsUntilTheFailingRecordIsIsolatedAndReportedAfterItsRetries() {
    delivery(
            2,
            seqs -> {
              if (seqs.contains("103")) {
                throw new IllegalStateException("poison");
              }
              return ok();
            })
        .deliver(records(4));

    assertThat(committed).containsExactlyInAnyOrder("101", "102", "104");
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.firstSequenceNumber()).isEqualTo("103");
              assertThat(failed.lastSequenceNumber()).isEqualTo("103");
              assertThat(failed.size()).isEqualTo(1);
              assertThat(failed.attempts()).isEqualTo(3);
              assertThat(failed.reason()).isEqualTo("IllegalStateException");
            });
    assertThat(invocations.stream().filter(s -> s.equals(List.of("103"))))
        .as("1 try + 2 retries")
        .hasSize(3);
  }

  @Test
  void persistentPartialFailureIsReportedWithItsRangeNotDropped() {
    delivery(1, seqs -> failAt("102")).deliver(records(3));

    assertThat(committed).containsExactly("101");
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.firstSequenceNumber()).isEqualTo("102");
              assertThat(failed.lastSequenceNumber()).isEqualTo("103");
              assertThat(failed.size()).isEqualTo(2);
            });
  }

  @Test
  void transientFunctionErrorIsRetriedAndNothingIsLostOrDuplicated() {
    int[] calls = {0};
    delivery(
            3,
            seqs -> {
              if (calls[0]++ < 2) {
                throw new IllegalStateException("database down");
              }
              return ok();
            })
        .deliver(records(6));

    assertThat(committed).containsExactlyInAnyOrder("101", "102", "103", "104", "105", "106");
    assertThat(committed).doesNotHaveDuplicates();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void eventHandedToTheFunctionIsParsedLikeLambdaDoes() {
    List<DynamodbEvent> seen = new ArrayList<>();
    new BatchDelivery(
            "arn:local",
            event -> {
              seen.add(event.parsed());
              return ok();
            },
            PollerSettings.defaults(),
            listener,
            attempt -> {})
        .deliver(records(2));

    DynamodbEvent.DynamodbStreamRecord first = seen.get(0).getRecords().get(0);
    assertThat(first.getEventName()).isEqualTo("INSERT");
    assertThat(first.getEventSourceARN()).isEqualTo("arn:local");
    assertThat(first.getDynamodb().getKeys().get("transactionId").getS()).isEqualTo("t1");
  }
}
