package dev.ddbwarehouse.local.backfill;

import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.local.stream.DeliveryListener;
import dev.ddbwarehouse.local.stream.FailedBatch;
import dev.ddbwarehouse.local.stream.StreamRecordJson;
import java.util.List;

/**
 * Reports every record the local event source mapping settled to the backfill's drain check: a
 * committed record, and one given up after its retries (reported, so it is no longer unread).
 */
final class SettledPositions implements DeliveryListener {

  private final StreamPositions positions;

  SettledPositions(StreamPositions positions) {
    this.positions = positions;
  }

  @Override
  public void onCommitted(List<StreamRecordJson> records) {
    records.forEach(r -> positions.settled(r.shardId(), r.sequenceNumber()));
  }

  @Override
  public void onExhausted(FailedBatch failed) {
    positions.settled(failed.shardId(), failed.lastSequenceNumber());
  }
}
