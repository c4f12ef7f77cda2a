package dev.ddbwarehouse.core.change;

import static dev.ddbwarehouse.core.ErrorCode.IMPLAUSIBLE_VERSION;
import static dev.ddbwarehouse.core.ErrorCode.INTERNAL_ERROR;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_RECORD_METADATA;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_NEW_IMAGE;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.core.transaction.TransactionMapper;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SortedSet;
import java.util.regex.Pattern;

/** Turns one incoming stream record into the {@link Change} it makes to the warehouse. */
public final class ChangeMapper {

  private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,40}");

  private final TransactionMapper transactions;
  private final TtlDeletes ttlDeletes;
  private final Clock clock;

  public ChangeMapper(TransactionMapper transactions, TtlDeletes ttlDeletes, Clock clock) {
    this.transactions = transactions;
    this.ttlDeletes = ttlDeletes;
    this.clock = clock;
  }

  /** The attributes every new image is expected to carry (see {@link TransactionMapper}). */
  public SortedSet<String> expectedAttributes() {
    return transactions.expectedAttributes();
  }

  public Change map(IncomingRecord incoming) {
    if (incoming instanceof IncomingRecord.Unreadable u) {
      return new Change.Quarantine(u.meta(), null, u.problem());
    }
    SourceRecord record = ((IncomingRecord.Readable) incoming).record();
    String transactionId =
        transactions
            .transactionId(record.keys())
            .or(() -> transactions.transactionId(record.newImage()))
            .or(() -> transactions.transactionId(record.oldImage()))
            .orElse(null);
    try {
      return map(record, transactionId);
    } catch (PoisonRecordException e) {
      return new Change.Quarantine(record.meta(), transactionId, e);
    } catch (RuntimeException e) {
      // A defect here is deterministic: retrying would block the shard forever. Quarantine the
      // record (its position stays known) and keep only the exception's class: messages of
      // unexpected exceptions may quote data.
      return new Change.Quarantine(
          record.meta(),
          transactionId,
          new PoisonRecordException(
              INTERNAL_ERROR,
              null,
              "unexpected " + e.getClass().getName() + " while mapping the record"));
    }
  }

  private Change map(SourceRecord record, String transactionId) {
    BigInteger sequence = sequence(record.meta());
    return switch (record.kind()) {
      case INSERT, MODIFY -> {
        if (record.newImage() == null) {
          throw new PoisonRecordException(
              MISSING_NEW_IMAGE,
              null,
              record.kind()
                  + " without a new image: the stream view type must be NEW_IMAGE or NEW_AND_OLD_IMAGES");
        }
        TransactionMapper.Mapped mapped = transactions.map(record.newImage());
        if (!transactions.versionWindow().admits(mapped.row().version(), stamped(record))) {
          String attribute = transactions.versionAttribute(mapped.row());
          throw new PoisonRecordException(
              IMPLAUSIBLE_VERSION,
              attribute,
              "attribute "
                  + attribute
                  + " lies outside the mapping's versionWindow around the record's"
                  + " ApproximateCreationDateTime");
        }
        yield new Change.Upsert(record.meta(), sequence, mapped.row(), mapped.droppedAttributes());
      }
      case REMOVE -> remove(record, transactionId, sequence);
    };
  }

  private Change remove(SourceRecord record, String transactionId, BigInteger sequence) {
    if (record.removedByTtl() && ttlDeletes == TtlDeletes.IGNORE) {
      return new Change.Skip(record.meta(), "ttl-expiry");
    }
    if (transactionId == null) {
      String attribute = transactions.transactionIdAttribute();
      throw new PoisonRecordException(
          MISSING_ATTRIBUTE, attribute, "REMOVE without a usable key attribute " + attribute);
    }
    Instant when = stamped(record);
    // Without an old image (KEYS_ONLY / NEW_IMAGE streams) the deleted version is unknown; the
    // moment of the delete bounds it. Within the stream, order decides anyway (ChangeOrder). An
    // implausible old version counts as unknown: it would leave a tombstone nothing could revive.
    Instant oldVersion =
        transactions
            .version(record.oldImage())
            .filter(v -> transactions.versionWindow().admits(v, when))
            .orElse(null);
    Instant version = ChangeOrder.deleteVersion(oldVersion, when);
    return new Change.Delete(record.meta(), sequence, transactionId, version, when);
  }

  /** When DynamoDB stamped the record; now, for an event without ApproximateCreationDateTime. */
  private Instant stamped(SourceRecord record) {
    return record.meta().approximateCreation() != null
        ? record.meta().approximateCreation()
        : clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static BigInteger sequence(RecordMeta meta) {
    if (!SEQUENCE.matcher(meta.sequenceNumber()).matches()) {
      throw new PoisonRecordException(
          INVALID_RECORD_METADATA,
          null,
          "SequenceNumber is missing or not a decimal number of up to 40 digits");
    }
    return new BigInteger(meta.sequenceNumber());
  }
}
