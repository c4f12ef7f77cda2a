package dev.ddbwarehouse.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What one batch did; carries counts and attribute names only, never values. {@code upserted},
 * {@code deleted}, {@code ignored} and {@code quarantined} count records and add up to {@code
 * recordsIn}. {@code absentAttributes} names the expected attributes (see {@code
 * Policy.expectedAttributes}) that no new image of the batch carried.
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
    long durationNanos,
    List<String> absentAttributes) {

  public BatchReport {
    quarantinedByCode = Map.copyOf(quarantinedByCode);
    droppedAttributes = Map.copyOf(droppedAttributes);
    absentAttributes = List.copyOf(absentAttributes);
  }
}
