package dev.ddbwarehouse.core.change;

import static dev.ddbwarehouse.core.ErrorCode.IMPLAUSIBLE_VERSION;
import static dev.ddbwarehouse.core.ErrorCode.INTERNAL_ERROR;
import static dev.ddbwarehouse.core.ErrorCode.INVALID_RECORD_METADATA;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_ATTRIBUTE;
import static dev.ddbwarehouse.core.ErrorCode.MISSING_NEW_IMAGE;

import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.RowKey;
import dev.ddbwarehouse.core.table.RowMapper;
import dev.ddbwarehouse.core.table.TableRow;
import dev.ddbwarehouse.core.table.TableSpec;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one incoming stream record into the {@link Change} it makes to the warehouse: routes it to
 * its table's entry by the source table in its eventSourceARN, then applies that entry's rules.
 */
public final class ChangeMapper {

  private final Mapping mapping;
  private final Map<String, RowMapper> rows = new HashMap<>();
  private final Clock clock;

  public ChangeMapper(Mapping mapping, Pseudonymiser pseudonymiser, Clock clock) {
    this.mapping = mapping;
    for (TableSpec t : mapping.tables()) rows.put(t.name(), new RowMapper(t, pseudonymiser));
    this.clock = clock;
  }

  public Mapping mapping() {
    return mapping;
  }

  /** The route of the last ARN seen: a batch comes from one stream, so one ARN, one parse. */
  private record LastRoute(String arn, Mapping.Route route) {}

  // Shared by the threads that map a large batch: a race only costs a parse.
  private volatile LastRoute lastRoute = new LastRoute(null, null);

  private Mapping.Route route(String arn) {
    LastRoute last = lastRoute;
    if (arn != null && arn.equals(last.arn())) return last.route();
    Mapping.Route route = mapping.route(arn);
    lastRoute = new LastRoute(arn, route);
    return route;
  }

  public Change map(IncomingRecord incoming) {
    Mapping.Route route = route(incoming.meta().eventSourceArn());
    if (route instanceof Mapping.Route.UnknownTable unknown) {
      return new Change.Unrouted(incoming.meta(), unknown.sourceTable());
    }
    if (!(route instanceof Mapping.Route.To to)) {
      // What made the record unreadable says more than its ARN does.
      PoisonRecordException problem =
          incoming instanceof IncomingRecord.Unreadable u
              ? u.problem()
              : new PoisonRecordException(
                  INVALID_RECORD_METADATA,
                  null,
                  "eventSourceARN is not a DynamoDB stream ARN (arn:...:table/NAME/stream/...)");
      return new Change.Quarantine(incoming.meta(), null, null, null, problem);
    }
    TableSpec table = to.table();
    if (incoming instanceof IncomingRecord.Unreadable u) {
      return new Change.Quarantine(u.meta(), to.sourceTable(), table, null, u.problem());
    }
    RowMapper mapper = rows.get(table.name());
    SourceRecord record = ((IncomingRecord.Readable) incoming).record();
    try {
      return map(record, mapper);
    } catch (PoisonRecordException e) {
      return new Change.Quarantine(record.meta(), to.sourceTable(), table, key(record, mapper), e);
    } catch (RuntimeException e) {
      // A defect here is deterministic: retrying would block the shard forever. Quarantine the
      // record (its position stays known) and keep only the exception's class: messages of
      // unexpected exceptions may quote data.
      return new Change.Quarantine(
          record.meta(),
          to.sourceTable(),
          table,
          key(record, mapper),
          new PoisonRecordException(
              INTERNAL_ERROR,
              null,
              "unexpected " + e.getClass().getName() + " while mapping the record"));
    }
  }

  /**
   * The record's warehouse key, from its key set or else its images; null when none is usable. Only
   * a delete and a quarantine entry need it: an image's row carries its own.
   */
  private static RowKey key(SourceRecord record, RowMapper mapper) {
    return mapper
        .key(record.keys())
        .or(() -> mapper.key(record.newImage()))
        .or(() -> mapper.key(record.oldImage()))
        .orElse(null);
  }

  private Change map(SourceRecord record, RowMapper mapper) {
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
        RowMapper.Mapped mapped = mapper.map(record.newImage());
        TableRow row = mapped.row();
        Instant stamped = stamped(record);
        if (row.version() == null) {
          // No version attribute: the stream's order decides, and across streams the stamp.
          row = row.withVersion(stamped);
        } else if (!mapper.table().versionWindow().admits(row.version(), stamped)) {
          String attribute = row.versionAttribute();
          throw new PoisonRecordException(
              IMPLAUSIBLE_VERSION,
              attribute,
              "attribute "
                  + attribute
                  + " lies outside the mapping's versionWindow around the record's"
                  + " ApproximateCreationDateTime");
        }
        yield new Change.Upsert(record.meta(), sequence, row, mapped.droppedAttributes());
      }
      case REMOVE -> remove(record, mapper, key(record, mapper), sequence);
    };
  }

  private Change remove(SourceRecord record, RowMapper mapper, RowKey key, BigInteger sequence) {
    TableSpec table = mapper.table();
    if (record.removedByTtl() && table.ttlDeletes() == TtlDeletes.IGNORE) {
      return new Change.Skip(record.meta(), "ttl-expiry");
    }
    if (key == null) {
      String attributes = mapper.keyAttributes();
      throw new PoisonRecordException(
          MISSING_ATTRIBUTE,
          table.keyAttributes().get(0),
          "REMOVE without a usable key attribute " + attributes);
    }
    Instant when = stamped(record);
    // Without an old image (KEYS_ONLY / NEW_IMAGE streams) the deleted version is unknown; the
    // moment of the delete bounds it. Within the stream, order decides anyway (ChangeOrder). An
    // implausible old version counts as unknown: it would leave a tombstone nothing could revive.
    Instant oldVersion =
        mapper
            .version(record.oldImage())
            .filter(v -> table.versionWindow().admits(v, when))
            .orElse(null);
    Instant version = ChangeOrder.deleteVersion(oldVersion, when);
    RowKey suppressionKey =
        !mapper.keyHasTokens()
            ? key
            : mapper
                .suppressionKey(record.keys())
                .or(() -> mapper.suppressionKey(record.oldImage()))
                .orElse(key);
    return new Change.Delete(record.meta(), sequence, table, key, version, when, suppressionKey);
  }

  /** When DynamoDB stamped the record; now, for an event without ApproximateCreationDateTime. */
  private Instant stamped(SourceRecord record) {
    return record.meta().approximateCreation() != null
        ? record.meta().approximateCreation().truncatedTo(ChronoUnit.MICROS)
        : clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static BigInteger sequence(RecordMeta meta) {
    if (!isSequence(meta.sequenceNumber())) {
      throw new PoisonRecordException(
          INVALID_RECORD_METADATA,
          null,
          "SequenceNumber is missing or not a decimal number of up to 40 digits");
    }
    return decimal(meta.sequenceNumber());
  }

  private static final long E18 = 1_000_000_000_000_000_000L;

  /**
   * The value of 1 to 40 decimal digits. Up to 36 digits (every sequence number DynamoDB has
   * issued) as two longs of 18 digits joined in 128 bits: {@code new BigInteger(String)} cuts the
   * text into substrings of 9 digits, and was a few per cent of a record's whole cost.
   */
  static BigInteger decimal(String digits) {
    int n = digits.length();
    if (n <= 18) return BigInteger.valueOf(Long.parseLong(digits));
    if (n > 36) return new BigInteger(digits);
    long high = Long.parseLong(digits, 0, n - 18, 10);
    long low = Long.parseLong(digits, n - 18, n, 10);
    long productLow = high * E18;
    long productHigh = Math.unsignedMultiplyHigh(high, E18);
    long sumLow = productLow + low;
    if (Long.compareUnsigned(sumLow, productLow) < 0) productHigh++;
    byte[] magnitude = new byte[16];
    for (int i = 0; i < 8; i++) {
      magnitude[7 - i] = (byte) (productHigh >>> (8 * i));
      magnitude[15 - i] = (byte) (sumLow >>> (8 * i));
    }
    return new BigInteger(1, magnitude);
  }

  /** 1 to 40 decimal digits, as stream sequence numbers are. */
  private static boolean isSequence(String s) {
    if (s.isEmpty() || s.length() > 40) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
}
