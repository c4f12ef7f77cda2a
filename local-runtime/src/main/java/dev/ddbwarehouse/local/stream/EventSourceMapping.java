package dev.ddbwarehouse.local.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A local stand-in for Lambda's DynamoDB event source mapping on one stream: reads every shard in
 * order, parents before children ({@link ShardLineage}), gathers batches within the size, window
 * and payload limits, and delivers them through {@link BatchDelivery}. Shards are served round
 * robin on the calling thread; to read several streams (e.g. a second table) create one mapping per
 * stream and poll each from its own thread.
 */
public final class EventSourceMapping {

  /** GetRecords returns at most this many records per call. */
  private static final int GET_RECORDS_LIMIT = 1000;

  private static final long DESCRIBE_EVERY_NANOS = 1_000_000_000L;

  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final PollerSettings settings;
  private final BatchDelivery delivery;
  private final ShardLineage lineage = new ShardLineage();
  private final Map<String, ShardCursor> cursors = new HashMap<>();
  private final Set<String> firstDescribeShards = new HashSet<>();
  private boolean firstDescribe = true;
  private long lastDescribe;

  /** Where reading one shard stands; records read but not yet delivered wait in {@code pending}. */
  private static final class ShardCursor {
    final String shardId;
    String iterator;
    boolean ended;
    String lastReadSequence;
    final Deque<StreamRecordJson> pending = new ArrayDeque<>();

    ShardCursor(String shardId, String iterator) {
      this.shardId = shardId;
      this.iterator = iterator;
    }
  }

  public EventSourceMapping(
      DynamoDbStreamsClient streams,
      String streamArn,
      PollerSettings settings,
      StreamBatchFunction function,
      DeliveryListener listener) {
    this.streams = streams;
    this.streamArn = streamArn;
    this.settings = settings;
    this.delivery =
        new BatchDelivery(
            streamArn, function, settings, listener, BatchDelivery.Backoff.EXPONENTIAL);
  }

  public String streamArn() {
    return streamArn;
  }

  /** Polls until {@code stop} is true, checked between batches. */
  public void runUntil(BooleanSupplier stop) {
    while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
      if (pollOnce() == 0) {
        pause(settings.idlePollInterval().toMillis());
      }
    }
  }

  /** One round: at most one batch from every readable shard. Returns the records delivered. */
  public int pollOnce() {
    refreshShards();
    int delivered = 0;
    for (String shardId : lineage.readable()) {
      ShardCursor cursor = cursors.computeIfAbsent(shardId, this::openCursor);
      List<StreamRecordJson> batch = gather(cursor);
      if (!batch.isEmpty()) {
        delivery.deliver(batch);
        delivered += batch.size();
      }
      if (cursor.ended && cursor.pending.isEmpty()) {
        lineage.markFinished(shardId);
        cursors.remove(shardId);
        lastDescribe = 0; // children become readable now: look for them at once
      }
    }
    return delivered;
  }

  private List<StreamRecordJson> gather(ShardCursor cursor) {
    List<StreamRecordJson> batch = new ArrayList<>();
    int bytes = 0;
    long deadline = System.nanoTime() + settings.batchingWindow().toNanos();
    while (true) {
      while (!cursor.pending.isEmpty() && batch.size() < settings.batchSize()) {
        StreamRecordJson next = cursor.pending.peekFirst();
        int size = LambdaEventJson.eventSize(bytes + next.json().length, batch.size() + 1);
        if (size > settings.maxPayloadBytes() && !batch.isEmpty()) {
          return batch; // the rest goes into the next invocation, as Lambda cuts at 6 MB
        }
        batch.add(cursor.pending.pollFirst());
        bytes += next.json().length;
      }
      if (batch.size() >= settings.batchSize() || cursor.ended) {
        return batch;
      }
      int read = readPage(cursor);
      boolean windowOver = System.nanoTime() >= deadline;
      if (read < GET_RECORDS_LIMIT && windowOver && cursor.pending.isEmpty()) {
        return batch;
      }
      if (read == 0 && !windowOver) {
        pause(Math.min(settings.idlePollInterval().toMillis(), remainingMillis(deadline)));
      }
    }
  }

  private int readPage(ShardCursor cursor) {
    GetRecordsResponse page;
    try {
      page = streams.getRecords(b -> b.shardIterator(cursor.iterator).limit(GET_RECORDS_LIMIT));
    } catch (ExpiredIteratorException e) {
      cursor.iterator = resumeIterator(cursor);
      return 0;
    } catch (TrimmedDataAccessException e) {
      // Records older than the retention are gone for every reader; Lambda skips them too.
      cursor.iterator = iterator(cursor.shardId, ShardIteratorType.TRIM_HORIZON, null);
      return 0;
    }
    for (Record record : page.records()) {
      StreamRecordJson rendered = LambdaEventJson.render(record, streamArn, cursor.shardId);
      cursor.pending.addLast(rendered);
      cursor.lastReadSequence = rendered.sequenceNumber();
    }
    cursor.iterator = page.nextShardIterator();
    cursor.ended = cursor.iterator == null;
    return page.records().size();
  }

  private String resumeIterator(ShardCursor cursor) {
    return cursor.lastReadSequence == null
        ? iterator(cursor.shardId, ShardIteratorType.TRIM_HORIZON, null)
        : iterator(
            cursor.shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, cursor.lastReadSequence);
  }

  private ShardCursor openCursor(String shardId) {
    // Only shards that existed when the mapping started honour LATEST; shards born later are read
    // from their start, or their first records would be lost.
    ShardIteratorType type =
        firstDescribeShards.contains(shardId)
                && settings.startingPosition() == PollerSettings.StartingPosition.LATEST
            ? ShardIteratorType.LATEST
            : ShardIteratorType.TRIM_HORIZON;
    return new ShardCursor(shardId, iterator(shardId, type, null));
  }

  private String iterator(String shardId, ShardIteratorType type, String sequenceNumber) {
    return streams
        .getShardIterator(
            b ->
                b.streamArn(streamArn)
                    .shardId(shardId)
                    .shardIteratorType(type)
                    .sequenceNumber(sequenceNumber))
        .shardIterator();
  }

  private void refreshShards() {
    long now = System.nanoTime();
    if (!firstDescribe && now - lastDescribe < DESCRIBE_EVERY_NANOS) {
      return;
    }
    List<ShardLineage.Shard> shards = new ArrayList<>();
    String startAfter = null;
    do {
      String from = startAfter;
      DescribeStreamResponse response =
          streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from));
      response
          .streamDescription()
          .shards()
          .forEach(s -> shards.add(new ShardLineage.Shard(s.shardId(), s.parentShardId())));
      startAfter = response.streamDescription().lastEvaluatedShardId();
    } while (startAfter != null);
    if (firstDescribe) {
      shards.forEach(s -> firstDescribeShards.add(s.shardId()));
      firstDescribe = false;
    }
    lineage.observe(shards);
    lastDescribe = now;
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
