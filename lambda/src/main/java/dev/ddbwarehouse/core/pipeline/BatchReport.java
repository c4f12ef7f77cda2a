package dev.ddbwarehouse.core.pipeline;

import java.util.Map;

/**
 * What one batch did; carries counts and attribute names only, never values. {@code upserted},
 * {@code deleted}, {@code ignored} and {@code quarantined} count records and add up to {@code
 * recordsIn}.
 */
public record BatchReport(
    int recordsIn,
    int upserted,
    int deleted,
    int ignored,
    int quarantined,
    Map<String, Integer> quarantinedByCode,
    Map<String, Integer> droppedAttributes,
    boolean committed,
    long durationNanos) {

  public BatchReport {
    quarantinedByCode = Map.copyOf(quarantinedByCode);
    droppedAttributes = Map.copyOf(droppedAttributes);
  }
}
