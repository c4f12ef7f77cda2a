package dev.ddbwarehouse.local.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which shards of a stream may be read now. A DynamoDB shard splits into children when it closes;
 * the records of one item can move from parent to child, so (as Lambda does) a child is read only
 * after its parent has been read to its end and every record of it delivered. A parent that is no
 * longer described (trimmed after 24 h) counts as finished.
 */
public final class ShardLineage {

  /** A shard as DescribeStream lists it. */
  public record Shard(String shardId, String parentShardId) {
    public Shard {
      Objects.requireNonNull(shardId, "shardId");
    }
  }

  private final Map<String, Shard> known = new LinkedHashMap<>();
  private final Set<String> finished = new HashSet<>();

  /** Adds shards not seen before; call with every DescribeStream result. */
  public void observe(Collection<Shard> shards) {
    for (Shard shard : shards) {
      known.putIfAbsent(shard.shardId(), shard);
    }
  }

  /** The shard was read to its end (no next iterator) and all its records were delivered. */
  public void markFinished(String shardId) {
    if (!known.containsKey(shardId)) {
      throw new IllegalArgumentException("unknown shard " + shardId);
    }
    finished.add(shardId);
  }

  public boolean isFinished(String shardId) {
    return finished.contains(shardId);
  }

  /** Unfinished shards whose parent is finished or unknown: oldest generation first, then by id. */
  public List<String> readable() {
    List<Shard> ready = new ArrayList<>();
    for (Shard shard : known.values()) {
      if (!finished.contains(shard.shardId()) && parentDone(shard)) {
        ready.add(shard);
      }
    }
    ready.sort(Comparator.comparingInt(this::depth).thenComparing(Shard::shardId));
    return ready.stream().map(Shard::shardId).toList();
  }

  /** Shards known and not finished, readable or waiting for a parent. */
  public int unfinishedCount() {
    return known.size() - finished.size();
  }

  private boolean parentDone(Shard shard) {
    String parent = shard.parentShardId();
    return parent == null || !known.containsKey(parent) || finished.contains(parent);
  }

  private int depth(Shard shard) {
    int depth = 0;
    Set<String> seen = new HashSet<>();
    Shard current = shard;
    while (current.parentShardId() != null
        && known.containsKey(current.parentShardId())
        && seen.add(current.shardId())) {
      current = known.get(current.parentShardId());
      depth++;
    }
    return depth;
  }
}
