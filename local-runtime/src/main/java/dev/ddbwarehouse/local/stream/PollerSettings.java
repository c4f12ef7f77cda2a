package dev.ddbwarehouse.local.stream;

import java.time.Duration;

/**
 * The knobs of a Lambda DynamoDB event source mapping that the local poller honours.
 *
 * @param batchSize records per invocation, 1..10,000 (Lambda's limits for DynamoDB streams)
 * @param batchingWindow how long to keep gathering records before invoking with a partial batch
 * @param maxRetries retries of a failing record before it is reported as failed; -1 = forever
 * @param bisectOnError split a batch in two when the function throws
 * @param idlePollInterval pause between reads of a shard that returned nothing (Lambda: 250 ms)
 * @param maxPayloadBytes the invocation payload limit a batch is cut at (Lambda: 6 MB)
 */
public record PollerSettings(
    int batchSize,
    Duration batchingWindow,
    int maxRetries,
    boolean bisectOnError,
    StartingPosition startingPosition,
    Duration idlePollInterval,
    int maxPayloadBytes) {

  public static final int MAX_BATCH_SIZE = 10_000;
  public static final int LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

  /** Where a mapping starts reading shards that exist when it starts. */
  public enum StartingPosition {
    TRIM_HORIZON,
    LATEST
  }

  public PollerSettings {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch size must be 1.." + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    if (batchingWindow.isNegative() || batchingWindow.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("batching window must be 0..300 s, was " + batchingWindow);
    }
    if (maxRetries < -1) {
      throw new IllegalArgumentException(
          "max retries must be -1 (forever) or more, was " + maxRetries);
    }
    if (maxPayloadBytes < 1024) {
      throw new IllegalArgumentException(
          "max payload must be at least 1 KiB, was " + maxPayloadBytes);
    }
  }

  public static PollerSettings defaults() {
    return new PollerSettings(
        1000,
        Duration.ZERO,
        3,
        true,
        StartingPosition.TRIM_HORIZON,
        Duration.ofMillis(250),
        LAMBDA_PAYLOAD_LIMIT);
  }

  public PollerSettings withBatchSize(int size) {
    return new PollerSettings(
        size,
        batchingWindow,
        maxRetries,
        bisectOnError,
        startingPosition,
        idlePollInterval,
        maxPayloadBytes);
  }

  public PollerSettings withBatchingWindow(Duration window) {
    return new PollerSettings(
        batchSize,
        window,
        maxRetries,
        bisectOnError,
        startingPosition,
        idlePollInterval,
        maxPayloadBytes);
  }

  public PollerSettings withMaxRetries(int retries) {
    return new PollerSettings(
        batchSize,
        batchingWindow,
        retries,
        bisectOnError,
        startingPosition,
        idlePollInterval,
        maxPayloadBytes);
  }

  public PollerSettings withIdlePollInterval(Duration interval) {
    return new PollerSettings(
        batchSize,
        batchingWindow,
        maxRetries,
        bisectOnError,
        startingPosition,
        interval,
        maxPayloadBytes);
  }
}
