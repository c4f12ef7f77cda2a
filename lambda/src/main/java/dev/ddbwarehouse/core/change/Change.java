package dev.ddbwarehouse.core.change;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.table.RowKey;
import dev.ddbwarehouse.core.table.TableRow;
import dev.ddbwarehouse.core.table.TableSpec;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** What one stream record does to the warehouse. */
public sealed interface Change {

  RecordMeta meta();

  /** A change that writes a row: an image or a delete, of one key of one table. */
  sealed interface Write extends Change {
    TableSpec table();

    RowKey key();

    /** The record's stream sequence number: decides within a stream ({@link ChangeOrder}). */
    BigInteger sequence();

    /** The item version: decides across streams ({@link ChangeOrder}). */
    Instant version();
  }

  /**
   * Write this image unless the warehouse holds a newer one.
   *
   * @param droppedAttributes source attributes not stored (policy drop or not named)
   */
  record Upsert(RecordMeta meta, BigInteger sequence, TableRow row, List<String> droppedAttributes)
      implements Write {
    public Upsert {
      droppedAttributes = List.copyOf(droppedAttributes);
    }

    @Override
    public TableSpec table() {
      return row.table();
    }

    @Override
    public RowKey key() {
      return row.key();
    }

    @Override
    public Instant version() {
      return row.version();
    }
  }

  /**
   * Soft-delete the row unless the warehouse holds a later change (see {@link ChangeOrder}).
   *
   * @param version {@link ChangeOrder#deleteVersion}: the later of the deleted image's version and
   *     the end of the second the delete happened in; decides only against another stream's images
   * @param suppressionKey the key with its pseudonym parts under the ring's suppression version
   *     (what the erasure check looks up); {@code key} itself when no part is a pseudonym or the
   *     active version is the suppression version
   */
  record Delete(
      RecordMeta meta,
      BigInteger sequence,
      TableSpec table,
      RowKey key,
      Instant version,
      Instant deletedAt,
      RowKey suppressionKey)
      implements Write {
    public Delete(
        RecordMeta meta,
        BigInteger sequence,
        TableSpec table,
        RowKey key,
        Instant version,
        Instant deletedAt) {
      this(meta, sequence, table, key, version, deletedAt, key);
    }
  }

  /** Nothing to do (a TTL expiry under the default policy). */
  record Skip(RecordMeta meta, String reason) implements Change {}

  /**
   * Can never succeed: goes to etl.quarantine.
   *
   * @param sourceTable the DynamoDB table the record came from, null when its ARN names none
   * @param table the entry it was routed to, null when it was not
   * @param key its warehouse key (pseudonymised where the rule says so), null when unusable
   */
  record Quarantine(
      RecordMeta meta,
      String sourceTable,
      TableSpec table,
      RowKey key,
      PoisonRecordException problem)
      implements Change {}

  /**
   * From a DynamoDB table that no entry of the mapping document names: a configuration error, so
   * the whole batch is reported for retry, never dropped.
   */
  record Unrouted(RecordMeta meta, String sourceTable) implements Change {}
}
