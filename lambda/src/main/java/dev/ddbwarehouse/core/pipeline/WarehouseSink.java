package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.TransientFailureException;

/** Where a batch's changes go. The core knows only this contract, not the database behind it. */
public interface WarehouseSink {

  /**
   * Writes the whole batch atomically, or nothing of it.
   *
   * <p>Upserts and deletes must be idempotent and guarded by the item version, so that any replay
   * leaves the warehouse as it was. Quarantine entries are recorded once per stream record.
   *
   * @throws TransientFailureException when nothing was committed and a retry may succeed
   * @throws WarehouseRejectedException when the database refused the data itself; nothing was
   *     committed and retrying the same batch would fail again
   */
  void write(WriteBatch batch);

  /**
   * Opens the lane for a batch while it is read (see {@link StreamedLane}), stamping rows with
   * {@code now}; null when the sink has none or cannot open it now.
   */
  default StreamedLane openStreamedLane(java.time.Instant now) {
    return null;
  }
}
