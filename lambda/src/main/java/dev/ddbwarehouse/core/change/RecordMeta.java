package dev.ddbwarehouse.core.change;

import dev.ddbwarehouse.core.SafeText;
import java.time.Instant;

/**
 * Where a stream record came from. No item data: safe to log and to store in the quarantine, since
 * every field is reduced to printable ASCII of a bounded length ({@link SafeText#ascii}); real
 * values are far shorter and plain ASCII, so only hostile or broken input changes.
 *
 * @param approximateCreation when DynamoDB wrote the change, or null when the event lacks it
 */
public record RecordMeta(
    String eventId,
    String eventName,
    String sequenceNumber,
    String eventSourceArn,
    Instant approximateCreation) {

  /** Bounds keep the quarantine's unique key (ARN, sequence number, event id) under 1.4 kB. */
  static final int MAX_EVENT_ID = 256;

  static final int MAX_SEQUENCE_NUMBER = 64;
  static final int MAX_EVENT_SOURCE_ARN = 1024;
  static final int MAX_EVENT_NAME = 64;

  /**
   * The last ARN that passed the check, as the very String it was: a reader hands every record of a
   * batch the same one, so the check runs once per batch, not per record. Strings are immutable, so
   * a stale value is only a missed shortcut.
   */
  private static volatile String checkedArn;

  public RecordMeta {
    eventId = eventId == null ? "" : SafeText.ascii(eventId, MAX_EVENT_ID);
    sequenceNumber =
        sequenceNumber == null ? "" : SafeText.ascii(sequenceNumber, MAX_SEQUENCE_NUMBER);
    if (eventSourceArn == null) {
      eventSourceArn = "";
    } else if (eventSourceArn != checkedArn) {
      eventSourceArn = SafeText.ascii(eventSourceArn, MAX_EVENT_SOURCE_ARN);
      checkedArn = eventSourceArn;
    }
    eventName = SafeText.ascii(eventName, MAX_EVENT_NAME);
  }
}
