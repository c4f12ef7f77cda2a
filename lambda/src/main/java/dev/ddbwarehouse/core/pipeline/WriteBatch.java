package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;
import java.time.Instant;
import java.util.List;

/**
 * What one batch writes in one transaction. Upserts and deletes hold at most one change per
 * transaction id (the newest); {@code now} is the ingestion time stamped on rows.
 */
public record WriteBatch(
    List<Change.Upsert> upserts,
    List<Change.Delete> deletes,
    List<Change.Quarantine> quarantine,
    Instant now) {

  public WriteBatch {
    upserts = List.copyOf(upserts);
    deletes = List.copyOf(deletes);
    quarantine = List.copyOf(quarantine);
  }

  public boolean isEmpty() {
    return upserts.isEmpty() && deletes.isEmpty() && quarantine.isEmpty();
  }
}
