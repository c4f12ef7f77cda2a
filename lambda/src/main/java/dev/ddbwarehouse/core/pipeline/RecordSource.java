package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.IncomingRecord;

/**
 * A batch's records, one at a time, as the adapter reads them: the core starts on the first record
 * before the last is read.
 */
@FunctionalInterface
public interface RecordSource {

  /**
   * The next record, or null after the last.
   *
   * @throws UnreadableEventException when the event itself (not one record) cannot be read: nothing
   *     of the batch may be committed
   */
  IncomingRecord next();
}
