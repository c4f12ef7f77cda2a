package dev.ddbwarehouse.local.stream;

import java.util.Objects;

/**
 * One stream record read from a shard, already rendered as the JSON element Lambda puts into the
 * event's {@code Records} array.
 *
 * @param key the item's key values joined by {@code '|'}: lets a caller match records to writes
 */
public record StreamRecordJson(String shardId, String sequenceNumber, String key, byte[] json) {

  public StreamRecordJson {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(sequenceNumber, "sequenceNumber");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(json, "json");
  }
}
