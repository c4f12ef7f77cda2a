package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;
import java.time.Instant;
import java.util.List;

/**
 * What one batch writes in one transaction. {@code writes} holds at most one change per (table,
 * key): the newest; {@code now} is the ingestion time stamped on rows.
 */
public record WriteBatch(
    List<Change.Write> writes, List<Change.Quarantine> quarantine, Instant now) {

  public WriteBatch {
    writes = List.copyOf(writes);
    quarantine = List.copyOf(quarantine);
  }

  public boolean isEmpty() {
    return writes.isEmpty() && quarantine.isEmpty();
  }
}
