package dev.ddbwarehouse.backfill.drain;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a local stream poller has got: per shard, the highest sequence number it has settled
 * (committed, or given up on and reported, as Lambda moves past such records too). The poller's
 * delivery listener feeds it; thread-safe.
 */
public final class StreamPositions {

  private final Map<String, BigInteger> settled = new HashMap<>();

  public synchronized void settled(String shardId, String sequenceNumber) {
    settled.merge(shardId, new BigInteger(sequenceNumber), BigInteger::max);
  }

  public synchronized Optional<String> settledIn(String shardId) {
    return Optional.ofNullable(settled.get(shardId)).map(BigInteger::toString);
  }
}
