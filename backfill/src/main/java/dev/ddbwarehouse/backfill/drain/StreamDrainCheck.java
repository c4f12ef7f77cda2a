package dev.ddbwarehouse.backfill.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Drained when no shard of the stream has a record after the poller's settled position: for each
 * shard, read from just after that position (or from the start of a shard it never touched) and
 * look for a record. Exact for a poller in this process (the local runtime), which reports its
 * positions through {@link StreamPositions}.
 */
public final class StreamDrainCheck implements DrainCheck {

  /** Reads per shard before concluding it has nothing left (AWS may return empty pages first). */
  private static final int PAGES_PER_SHARD = 3;

  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final StreamPositions positions;

  public StreamDrainCheck(
      DynamoDbStreamsClient streams, String streamArn, StreamPositions positions) {
    this.streams = streams;
    this.streamArn = streamArn;
    this.positions = positions;
  }

  @Override
  public Drain check() {
    long unread = 0;
    int shardsBehind = 0;
    List<Shard> shards = shards();
    for (Shard shard : shards) {
      long found = unreadIn(shard.shardId());
      unread += found;
      shardsBehind += found > 0 ? 1 : 0;
    }
    return new Drain(
        unread == 0,
        unread,
        unread == 0
            ? "every record of " + shards.size() + " shard(s) was read"
            : "at least "
                + unread
                + " unread record(s) in "
                + shardsBehind
                + " of "
                + shards.size()
                + " shard(s)");
  }

  private long unreadIn(String shardId) {
    Optional<String> settled = positions.settledIn(shardId);
    String iterator =
        streams
            .getShardIterator(
                b ->
                    b.streamArn(streamArn)
                        .shardId(shardId)
                        .shardIteratorType(
                            settled.isPresent()
                                ? ShardIteratorType.AFTER_SEQUENCE_NUMBER
                                : ShardIteratorType.TRIM_HORIZON)
                        .sequenceNumber(settled.map(StreamDrainCheck::padded).orElse(null)))
            .shardIterator();
    for (int page = 0; page < PAGES_PER_SHARD && iterator != null; page++) {
      String from = iterator;
      GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(from));
      if (!response.records().isEmpty()) {
        return response.records().size();
      }
      iterator = response.nextShardIterator();
    }
    return 0;
  }

  /**
   * The API wants at least 21 digits; AWS's sequence numbers have them, DynamoDB Local's are short
   * and compare as numbers, so leading zeros keep the position.
   */
  static String padded(String sequenceNumber) {
    return sequenceNumber.length() >= 21
        ? sequenceNumber
        : "0".repeat(21 - sequenceNumber.length()) + sequenceNumber;
  }

  private List<Shard> shards() {
    List<Shard> shards = new ArrayList<>();
    String after = null;
    do {
      String from = after;
      DescribeStreamResponse response =
          streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from));
      shards.addAll(response.streamDescription().shards());
      after = response.streamDescription().lastEvaluatedShardId();
    } while (after != null);
    return shards;
  }
}
