package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.RecordMeta;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.DynamoNumber;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference reading of an event: each record of the event model, as the Lambda Java runtime's
 * serialiser builds it, becomes an {@link IncomingRecord} of the core. The function once read
 * events this way; {@link StreamEventReader} must agree with it (StreamEventReaderTest).
 */
final class DynamodbEventMapper {

  /** Epoch seconds beyond year 5138 can only be milliseconds sent where seconds belong. */
  private static final long MAX_PLAUSIBLE_EPOCH_SECONDS = 100_000_000_000L;

  private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

  private DynamodbEventMapper() {}

  static List<IncomingRecord> map(DynamodbEvent event) {
    if (event == null || event.getRecords() == null) return List.of();
    List<IncomingRecord> out = new ArrayList<>(event.getRecords().size());
    for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) out.add(map(r));
    return out;
  }

  /**
   * Total: whatever the record holds, it becomes readable or unreadable (quarantined), never an
   * exception that would fail the invocation and block the shard on every retry.
   */
  static IncomingRecord map(DynamodbEvent.DynamodbStreamRecord r) {
    if (r == null) {
      return new IncomingRecord.Unreadable(
          new RecordMeta(null, null, null, null, null),
          new PoisonRecordException(ErrorCode.UNPARSABLE_IMAGE, null, "the record is null"));
    }
    StreamRecord ddb = r.getDynamodb();
    RecordMeta meta =
        new RecordMeta(
            r.getEventID(),
            r.getEventName(),
            ddb == null ? null : ddb.getSequenceNumber(),
            r.getEventSourceARN(),
            ddb == null ? null : approximateCreation(ddb));
    try {
      if (ddb == null) {
        throw new PoisonRecordException(
            ErrorCode.UNPARSABLE_IMAGE, null, "record has no dynamodb section");
      }
      return new IncomingRecord.Readable(
          new SourceRecord(
              meta,
              kind(r.getEventName()),
              item(ddb.getKeys(), "Keys"),
              item(ddb.getNewImage(), "NewImage"),
              item(ddb.getOldImage(), "OldImage"),
              removedByTtl(r.getUserIdentity())));
    } catch (PoisonRecordException e) {
      return new IncomingRecord.Unreadable(meta, e);
    } catch (RuntimeException e) {
      // A defect reading a record is as deterministic as a malformed one; the class only, since
      // the message of an unexpected exception may quote data.
      return new IncomingRecord.Unreadable(
          meta,
          new PoisonRecordException(
              ErrorCode.INTERNAL_ERROR,
              null,
              "unexpected " + e.getClass().getName() + " while reading the record"));
    }
  }

  private static EventKind kind(String eventName) {
    if (eventName != null) {
      switch (eventName) {
        case "INSERT":
          return EventKind.INSERT;
        case "MODIFY":
          return EventKind.MODIFY;
        case "REMOVE":
          return EventKind.REMOVE;
        default:
          break;
      }
    }
    throw new PoisonRecordException(
        ErrorCode.UNKNOWN_EVENT_NAME, null, "eventName must be INSERT, MODIFY or REMOVE");
  }

  private static boolean removedByTtl(Identity identity) {
    return identity != null
        && "Service".equals(identity.getType())
        && TTL_PRINCIPAL.equals(identity.getPrincipalId());
  }

  /**
   * Lambda sends epoch seconds (sometimes with a fraction); some producers send milliseconds, which
   * the runtime reads as seconds ×1000, landing tens of thousands of years ahead.
   */
  private static Instant approximateCreation(StreamRecord ddb) {
    if (ddb.getApproximateCreationDateTime() == null) return null;
    Instant instant = ddb.getApproximateCreationDateTime().toInstant();
    if (instant.getEpochSecond() > MAX_PLAUSIBLE_EPOCH_SECONDS) {
      instant = Instant.ofEpochMilli(instant.getEpochSecond());
    }
    return instant;
  }

  private static Item item(Map<String, AttributeValue> image, String section) {
    if (image == null) return null;
    Map<String, DynamoValue> out = new LinkedHashMap<>();
    image.forEach((name, value) -> out.put(name, value(value, section + "." + name)));
    return new Item(out);
  }

  private static DynamoValue value(AttributeValue v, String path) {
    if (v == null) throw untyped(path);
    if (v.getS() != null) return new DynamoValue.S(v.getS());
    if (v.getN() != null) return new DynamoValue.N(number(v.getN(), path));
    if (v.getB() != null) return new DynamoValue.B(bytes(v.getB()));
    if (v.getBOOL() != null) return new DynamoValue.Bool(v.getBOOL());
    if (Boolean.TRUE.equals(v.getNULL())) return DynamoValue.Null.INSTANCE;
    if (v.getM() != null) {
      Map<String, DynamoValue> m = new LinkedHashMap<>();
      // Nested keys stay out of the path: a map's keys can be data (an e-mail as a key).
      v.getM().forEach((k, x) -> m.put(k, value(x, path)));
      return new DynamoValue.M(m);
    }
    if (v.getL() != null) {
      List<DynamoValue> l = new ArrayList<>();
      for (AttributeValue x : v.getL()) l.add(value(x, path));
      return new DynamoValue.L(l);
    }
    if (v.getSS() != null) {
      return new DynamoValue.SS(members(v.getSS(), path));
    }
    if (v.getNS() != null) {
      return new DynamoValue.NS(
          members(v.getNS(), path).stream().map(n -> number(n, path)).toList());
    }
    if (v.getBS() != null) {
      return new DynamoValue.BS(
          members(v.getBS(), path).stream().map(DynamodbEventMapper::bytes).toList());
    }
    throw untyped(path);
  }

  /** DynamoDB sets have no null member; a JSON null there is a malformed event. */
  private static <T> List<T> members(List<T> set, String path) {
    for (T member : set) {
      if (member == null) {
        throw new PoisonRecordException(
            ErrorCode.UNPARSABLE_IMAGE, attribute(path), path + " is a set with a null member");
      }
    }
    return set;
  }

  private static BigDecimal number(String n, String path) {
    return DynamoNumber.parse(n, attribute(path), path);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static PoisonRecordException untyped(String path) {
    return new PoisonRecordException(
        ErrorCode.UNPARSABLE_IMAGE,
        attribute(path),
        path + " has no DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
  }

  /** The attribute of a path like "NewImage.amount". */
  private static String attribute(String path) {
    return path.substring(path.indexOf('.') + 1);
  }
}
