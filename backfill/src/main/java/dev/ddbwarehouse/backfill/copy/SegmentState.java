package dev.ddbwarehouse.backfill.copy;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How far one scan segment has been copied: every item before {@code lastEvaluatedKey} is in the
 * shadow table. {@code items} counts them, each once, whatever a crash made us write twice.
 */
public record SegmentState(
    int segment, boolean done, Map<String, AttributeValue> lastEvaluatedKey, long items) {

  public SegmentState {
    if (segment < 0) {
      throw new IllegalArgumentException("segment must be >= 0, was " + segment);
    }
    if (items < 0) {
      throw new IllegalArgumentException("items must be >= 0, was " + items);
    }
    lastEvaluatedKey = lastEvaluatedKey == null ? null : Map.copyOf(lastEvaluatedKey);
  }

  public static SegmentState fresh(int segment) {
    return new SegmentState(segment, false, null, 0);
  }

  /**
   * After a page of {@code pageItems}; a null or empty {@code next} key means the segment ended.
   */
  public SegmentState after(Map<String, AttributeValue> next, int pageItems) {
    boolean ended = next == null || next.isEmpty();
    return new SegmentState(segment, ended, ended ? null : next, items + pageItems);
  }
}
