package dev.ddbwarehouse.core.pipeline;

import dev.ddbwarehouse.core.change.Change;
import java.util.List;
import java.util.Optional;

/**
 * The result of one batch.
 *
 * @param firstNotCommitted sequence number from which the stream must be retried, empty when
 *     everything is committed
 * @param quarantined the records sent to quarantine (metadata and reason only)
 * @param failure why the batch was not committed (an SQLSTATE, never data), empty when it was
 */
public record BatchOutcome(
    Optional<String> firstNotCommitted,
    BatchReport report,
    List<Change.Quarantine> quarantined,
    Optional<String> failure) {

  public BatchOutcome {
    quarantined = List.copyOf(quarantined);
  }
}
