package dev.ddbwarehouse.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What one batch did; carries counts and attribute names only, never values. {@code upserted},
 * {@code deleted}, {@code ignored} and {@code quarantined} count records and add up to {@code
 * recordsIn}. {@code absentAttributes} names the expected attributes (see {@code
 * TableSpec.expectedAttributes}) that no new image of the batch carried. {@code failure} says why a
 * batch was not committed (SQLSTATEs and table names, never data); null when it was.
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
    List<String> absentAttributes,
    String failure) {

  public BatchReport(
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
    this(
        recordsIn,
        upserted,
        deleted,
        ignored,
        quarantined,
        quarantinedByCode,
        droppedAttributes,
        committed,
        durationNanos,
        absentAttributes,
        null);
  }

  /** This report with the reason the batch was not committed. */
  public BatchReport failed(String why) {
    return new BatchReport(
        recordsIn,
        upserted,
        deleted,
        ignored,
        quarantined,
        quarantinedByCode,
        droppedAttributes,
        committed,
        durationNanos,
        absentAttributes,
        why);
  }

  public BatchReport {
    quarantinedByCode = Map.copyOf(quarantinedByCode);
    droppedAttributes = Map.copyOf(droppedAttributes);
    absentAttributes = List.copyOf(absentAttributes);
  }
}
