package dev.ddbwarehouse.core.change;

import java.time.Instant;

/**
 * Where a stream record came from. No item data: safe to log and to store in the quarantine.
 *
 * @param approximateCreation when DynamoDB wrote the change, or null when the event lacks it
 */
public record RecordMeta(
    String eventId,
    String eventName,
    String sequenceNumber,
    String eventSourceArn,
    Instant approximateCreation) {

  public RecordMeta {
    eventId = eventId == null ? "" : eventId;
    sequenceNumber = sequenceNumber == null ? "" : sequenceNumber;
    eventSourceArn = eventSourceArn == null ? "" : eventSourceArn;
  }
}
