package dev.ddbwarehouse.core.change;

import dev.ddbwarehouse.core.PoisonRecordException;

/** A record as the adapter hands it to the core: readable, or already known to be poison. */
public sealed interface IncomingRecord {

  RecordMeta meta();

  record Readable(SourceRecord record) implements IncomingRecord {
    @Override
    public RecordMeta meta() {
      return record.meta();
    }
  }

  /** The adapter could not even read the record (unknown event name, untyped attribute value). */
  record Unreadable(RecordMeta meta, PoisonRecordException problem) implements IncomingRecord {}
}
