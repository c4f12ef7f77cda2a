package dev.ddbwarehouse.core.change;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.transaction.TransactionRow;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** What one stream record does to the warehouse. */
public sealed interface Change {

  RecordMeta meta();

  /**
   * Write this image unless the warehouse holds a newer one.
   *
   * @param droppedAttributes source attributes not stored (policy drop or not named)
   */
  record Upsert(
      RecordMeta meta, BigInteger sequence, TransactionRow row, List<String> droppedAttributes)
      implements Change {
    public Upsert {
      droppedAttributes = List.copyOf(droppedAttributes);
    }
  }

  /**
   * Soft-delete the transaction unless the warehouse holds a later change (see {@link
   * ChangeOrder}).
   *
   * @param version {@link ChangeOrder#deleteVersion}: the later of the deleted image's version and
   *     the end of the second the delete happened in; decides only against another stream's images
   */
  record Delete(
      RecordMeta meta,
      BigInteger sequence,
      String transactionId,
      Instant version,
      Instant deletedAt)
      implements Change {}

  /** Nothing to do (a TTL expiry under the default policy). */
  record Skip(RecordMeta meta, String reason) implements Change {}

  /** Can never succeed: goes to etl.quarantine. */
  record Quarantine(RecordMeta meta, String transactionId, PoisonRecordException problem)
      implements Change {}
}
