package dev.ddbwarehouse.local.bench;

import dev.ddbwarehouse.local.stream.LambdaEventJson;
import dev.ddbwarehouse.local.stream.StreamRecordJson;
import dev.ddbwarehouse.local.synth.TransactionFaker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Lambda event JSON for the benchmark, made without DynamoDB Local (whose write rate would be the
 * bottleneck): INSERT records of fake transactions rendered by the same code the poller uses.
 */
public final class SyntheticEvents {

  static final String STREAM_ARN =
      "arn:aws:dynamodb:eu-central-1:000000000000:table/transactions/stream/2026-10-01T00:00:00.000";

  private SyntheticEvents() {}

  /**
   * {@code records} INSERT records in events of {@code batchSize}; sequence numbers from {@code
   * firstSequence}.
   */
  public static List<byte[]> events(long seed, int records, int batchSize, long firstSequence) {
    return events(seed, records, batchSize, firstSequence, OperationType.INSERT);
  }

  /** The same with another event name: MODIFY records (new image only) take the guarded path. */
  public static List<byte[]> events(
      long seed, int records, int batchSize, long firstSequence, OperationType kind) {
    TransactionFaker faker = new TransactionFaker(seed, records);
    Instant now = Instant.now();
    List<byte[]> events = new ArrayList<>();
    List<StreamRecordJson> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < records; i++) {
      var item = faker.next().toItem();
      String sequence = String.format(Locale.ROOT, "%021d", firstSequence + i);
      Record record =
          Record.builder()
              .eventID(Long.toHexString(firstSequence + i))
              .eventName(kind)
              .eventVersion("1.1")
              .eventSource("aws:dynamodb")
              .awsRegion("eu-central-1")
              .dynamodb(
                  StreamRecord.builder()
                      .approximateCreationDateTime(now)
                      .keys(
                          java.util.Map.of(
                              "transactionId", AttributeValue.fromS(item.get("transactionId").s())))
                      .newImage(item)
                      .sequenceNumber(sequence)
                      .sizeBytes(700L)
                      .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                      .build())
              .build();
      batch.add(LambdaEventJson.render(record, STREAM_ARN, "shardId-00000001"));
      if (batch.size() == batchSize || i == records - 1) {
        events.add(LambdaEventJson.event(batch));
        batch.clear();
      }
    }
    return events;
  }
}
