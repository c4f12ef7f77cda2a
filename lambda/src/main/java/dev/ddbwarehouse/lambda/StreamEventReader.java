package dev.ddbwarehouse.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.PoisonRecordException;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.RecordMeta;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.Attributes;
import dev.ddbwarehouse.core.item.DynamoNumber;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.pipeline.RecordSource;
import dev.ddbwarehouse.core.pipeline.UnreadableEventException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a DynamoDB Streams event, as Lambda delivers it (JSON bytes), one record at a time with
 * jackson-core's streaming parser: no event model, no runtime serialiser, nothing kept of a record
 * once it is handed on.
 *
 * <p>Total per record: a record that is valid JSON but not a valid stream record (a wrong type, a
 * missing section, an attribute or field given twice) becomes {@link IncomingRecord.Unreadable},
 * quarantined like today, and reading goes on with the next one. Only an event that is not JSON, is
 * cut short or has no record array fails the whole batch ({@link UnreadableEventException}): then
 * no record can be trusted. Messages name fields and positions, never values.
 */
final class StreamEventReader implements RecordSource {

  /** Never quote the event in a parser message: it carries personal data. */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // The handler reads the event again from its mark when a batch goes the whole way.
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .build();

  /** Epoch seconds beyond year 5138 can only be milliseconds sent where seconds belong. */
  private static final long MAX_PLAUSIBLE_EPOCH_SECONDS = 100_000_000_000L;

  /** What a millisecond count can hold (Instant holds more). */
  private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);

  private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

  private final JsonParser p;
  private boolean started;
  private boolean done;
  private int records;
  private String lastArn;
  private char[] lastArnChars;

  private StreamEventReader(JsonParser parser) {
    this.p = parser;
  }

  static StreamEventReader of(byte[] event) {
    return of(new ByteArrayInputStream(event));
  }

  /** Reads from {@code event} as it goes; the stream is not closed. */
  static StreamEventReader of(InputStream event) {
    try {
      return new StreamEventReader(JSON.createParser(event));
    } catch (IOException e) {
      throw new UnreadableEventException("the event cannot be read: " + e.getClass().getName());
    }
  }

  /** Every record of {@code event}, read as {@link #next()} reads them. */
  static List<IncomingRecord> readAll(byte[] event) {
    return readAll(of(event));
  }

  static List<IncomingRecord> readAll(StreamEventReader reader) {
    List<IncomingRecord> out = new ArrayList<>();
    for (IncomingRecord r = reader.next(); r != null; r = reader.next()) out.add(r);
    return out;
  }

  @Override
  public IncomingRecord next() {
    if (done) return null;
    try {
      if (!started) {
        started = true;
        if (!openRecords()) {
          finish();
          return null;
        }
      }
      JsonToken t = p.nextToken();
      if (t == JsonToken.END_ARRAY) {
        finish();
        return null;
      }
      if (t == null) throw new JsonEOFException(p, null, "end of input inside Records");
      records++;
      return record(t);
    } catch (JsonEOFException e) {
      done = true;
      throw unreadable("the event ends before its JSON does (cut short?)", e.getLocation());
    } catch (JsonProcessingException e) {
      done = true;
      throw unreadable("the event is not valid JSON", e.getLocation());
    } catch (IOException e) {
      done = true;
      throw new UnreadableEventException("the event cannot be read: " + e.getClass().getName());
    }
  }

  private UnreadableEventException unreadable(String what, JsonLocation at) {
    String where =
        at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return new UnreadableEventException(what + where + " after " + records + " records");
  }

  /** Moves to the first record; false when the event has no Records array (or a null one). */
  private boolean openRecords() throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      done = true;
      throw new UnreadableEventException("the event is not a JSON object");
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!"Records".equals(name)) {
        p.skipChildren();
      } else if (value == JsonToken.START_ARRAY) {
        return true;
      } else if (value == JsonToken.VALUE_NULL) {
        return false;
      } else {
        done = true;
        throw new UnreadableEventException("the event's Records is not an array");
      }
    }
    return false;
  }

  /** After the records: the rest of the envelope, which must not repeat Records, then nothing. */
  private void finish() throws IOException {
    done = true;
    JsonToken t = p.currentToken();
    if (t != JsonToken.END_OBJECT) {
      for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        if ("Records".equals(p.currentName())) {
          throw new UnreadableEventException("the event has Records twice");
        }
        p.nextToken();
        p.skipChildren();
      }
      if (t != JsonToken.END_OBJECT) {
        throw new JsonEOFException(p, t, "end of input inside the event");
      }
    }
    if (p.nextToken() != null) {
      throw new UnreadableEventException("the event has content after its JSON object");
    }
  }

  /** The fields a record may give once (the rest are skipped, as the event model did). */
  private static final List<String> FIELDS =
      List.of(
          "eventID",
          "eventName",
          "eventSourceARN",
          "dynamodb",
          "userIdentity",
          "dynamodb.Keys",
          "dynamodb.NewImage",
          "dynamodb.OldImage",
          "dynamodb.SequenceNumber",
          "dynamodb.ApproximateCreationDateTime",
          "userIdentity.type",
          "userIdentity.principalId");

  // Positions in FIELDS, found once, so a record's checks need no search.
  private static final int EVENT_ID = FIELDS.indexOf("eventID");
  private static final int EVENT_NAME = FIELDS.indexOf("eventName");
  private static final int EVENT_SOURCE_ARN = FIELDS.indexOf("eventSourceARN");
  private static final int DYNAMODB = FIELDS.indexOf("dynamodb");
  private static final int USER_IDENTITY = FIELDS.indexOf("userIdentity");
  private static final int SEQUENCE_NUMBER = FIELDS.indexOf("dynamodb.SequenceNumber");
  private static final int APPROXIMATE_CREATION =
      FIELDS.indexOf("dynamodb.ApproximateCreationDateTime");
  private static final int IDENTITY_TYPE = FIELDS.indexOf("userIdentity.type");
  private static final int IDENTITY_PRINCIPAL = FIELDS.indexOf("userIdentity.principalId");

  /** The images of a record's dynamodb section, in the order their problems are reported. */
  private static final List<String> IMAGES = List.of("Keys", "NewImage", "OldImage");

  /** Where the images' names ("dynamodb.Keys", ...) start in {@link #FIELDS}. */
  private static final int IMAGE_FIELDS = FIELDS.indexOf("dynamodb.Keys");

  /** What one record holds as it is read; the first problem found decides its quarantine. */
  private static final class Fields {
    String eventId;
    String eventName;
    String eventSourceArn;
    String sequenceNumber;
    Instant approximateCreation;
    boolean hasSection;

    /** Keys, NewImage, OldImage (see {@link #IMAGES}), each null when absent. */
    final Item[] images = new Item[3];

    String identityType;
    String identityPrincipal;
    PoisonRecordException metadataProblem;

    /** Why each of {@link #images} could not be read, in the same order. */
    final PoisonRecordException[] imageProblems = new PoisonRecordException[3];

    /** One bit per field of {@link #FIELDS} read so far. */
    int seen;

    void metadata(String message) {
      if (metadataProblem == null) {
        metadataProblem =
            new PoisonRecordException(ErrorCode.INVALID_RECORD_METADATA, null, message);
      }
    }

    /** {@code field}: its position in {@link #FIELDS}. */
    boolean firstTime(int field) {
      int bit = 1 << field;
      if ((seen & bit) == 0) {
        seen |= bit;
        return true;
      }
      metadata("the record has " + FIELDS.get(field) + " twice");
      return false;
    }

    RecordMeta meta() {
      return new RecordMeta(
          eventId, eventName, sequenceNumber, eventSourceArn, approximateCreation);
    }
  }

  private IncomingRecord record(JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return new IncomingRecord.Unreadable(
          new RecordMeta(null, null, null, null, null),
          new PoisonRecordException(ErrorCode.UNPARSABLE_IMAGE, null, "the record is null"));
    }
    if (start != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new IncomingRecord.Unreadable(
          new RecordMeta(null, null, null, null, null),
          new PoisonRecordException(
              ErrorCode.UNPARSABLE_IMAGE, null, "the record is not a JSON object"));
    }
    Fields f = new Fields();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "eventID" -> f.eventId = text(f, EVENT_ID, value);
        case "eventName" -> f.eventName = text(f, EVENT_NAME, value);
        case "eventSourceARN" -> f.eventSourceArn = arn(f, value);
        case "dynamodb" -> {
          if (f.firstTime(DYNAMODB)) section(f, value);
          else p.skipChildren();
        }
        case "userIdentity" -> {
          if (f.firstTime(USER_IDENTITY)) identity(f, value);
          else p.skipChildren();
        }
        default -> p.skipChildren();
      }
    }
    return build(f);
  }

  /** As the event model's reading did: a missing section first, then the event name, the images. */
  private static IncomingRecord build(Fields f) {
    RecordMeta meta = f.meta();
    PoisonRecordException problem = f.metadataProblem;
    EventKind kind = null;
    if (problem == null && !f.hasSection) {
      problem =
          new PoisonRecordException(
              ErrorCode.UNPARSABLE_IMAGE, null, "record has no dynamodb section");
    }
    if (problem == null) {
      kind = kind(f.eventName);
      if (kind == null) {
        problem =
            new PoisonRecordException(
                ErrorCode.UNKNOWN_EVENT_NAME, null, "eventName must be INSERT, MODIFY or REMOVE");
      }
    }
    for (int i = 0; problem == null && i < IMAGES.size(); i++) problem = f.imageProblems[i];
    if (problem != null) return new IncomingRecord.Unreadable(meta, problem);
    boolean ttl = "Service".equals(f.identityType) && TTL_PRINCIPAL.equals(f.identityPrincipal);
    return new IncomingRecord.Readable(
        new SourceRecord(meta, kind, f.images[0], f.images[1], f.images[2], ttl));
  }

  private static EventKind kind(String eventName) {
    if (eventName == null) return null;
    return switch (eventName) {
      case "INSERT" -> EventKind.INSERT;
      case "MODIFY" -> EventKind.MODIFY;
      case "REMOVE" -> EventKind.REMOVE;
      default -> null;
    };
  }

  /** A string field of the record; null stays null; anything else is a metadata problem. */
  private String text(Fields f, int field, JsonToken value) throws IOException {
    if (!f.firstTime(field)) {
      p.skipChildren();
      return null;
    }
    if (value == JsonToken.VALUE_STRING) return p.getText();
    if (value != JsonToken.VALUE_NULL) {
      p.skipChildren();
      f.metadata(FIELDS.get(field) + " is not a string");
    }
    return null;
  }

  /**
   * The record's eventSourceARN: the previous record's String when it is the same ARN, as it is in
   * every record of a batch from one stream, so checking it once holds for them all (RecordMeta).
   */
  private String arn(Fields f, JsonToken value) throws IOException {
    String last = lastArn;
    if (value == JsonToken.VALUE_STRING && last != null && sameAsLastArn()) {
      return f.firstTime(EVENT_SOURCE_ARN) ? last : null;
    }
    String arn = text(f, EVENT_SOURCE_ARN, value);
    if (arn != null) {
      lastArn = arn;
      lastArnChars = arn.toCharArray();
    }
    return arn;
  }

  /** The current string token against the last ARN, on the parser's own characters (no copy). */
  private boolean sameAsLastArn() throws IOException {
    int length = p.getTextLength();
    char[] last = lastArnChars;
    if (length != last.length) return false;
    int offset = p.getTextOffset();
    return Arrays.equals(p.getTextCharacters(), offset, offset + length, last, 0, length);
  }

  private void section(Fields f, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) return;
    if (start != JsonToken.START_OBJECT) {
      p.skipChildren();
      f.metadata("dynamodb is not an object");
      return;
    }
    f.hasSection = true;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "Keys", "NewImage", "OldImage" -> image(f, IMAGES.indexOf(name), value);
        case "SequenceNumber" -> f.sequenceNumber = text(f, SEQUENCE_NUMBER, value);
        case "ApproximateCreationDateTime" -> {
          if (f.firstTime(APPROXIMATE_CREATION)) {
            f.approximateCreation = approximateCreation(f, value);
          } else p.skipChildren();
        }
        default -> p.skipChildren();
      }
    }
  }

  /** One of a record's images, or why it cannot be read; a second copy of it is a problem. */
  private void image(Fields f, int index, JsonToken value) throws IOException {
    String section = IMAGES.get(index);
    if (!f.firstTime(IMAGE_FIELDS + index)) {
      p.skipChildren();
      return;
    }
    try {
      f.images[index] = item(value, section);
    } catch (PoisonRecordException e) {
      f.imageProblems[index] = e;
    }
  }

  private void identity(Fields f, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "type" -> f.identityType = text(f, IDENTITY_TYPE, value);
        case "principalId" -> f.identityPrincipal = text(f, IDENTITY_PRINCIPAL, value);
        default -> p.skipChildren();
      }
    }
  }

  /**
   * Lambda sends epoch seconds (sometimes with a fraction), read to the millisecond; some producers
   * send milliseconds, which read as seconds land tens of thousands of years ahead.
   */
  private Instant approximateCreation(Fields f, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) return null;
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      p.skipChildren();
      f.metadata("dynamodb.ApproximateCreationDateTime is not a number");
      return null;
    }
    long epochMillis;
    if (value == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      // What Lambda sends, whole seconds, without a BigDecimal per record.
      try {
        epochMillis = Math.multiplyExact(p.getLongValue(), 1_000L);
      } catch (ArithmeticException e) {
        f.metadata("dynamodb.ApproximateCreationDateTime is out of range");
        return null;
      }
    } else {
      BigDecimal millis = p.getDecimalValue().movePointRight(3).setScale(0, RoundingMode.FLOOR);
      if (millis.abs().compareTo(MAX_MILLIS) > 0) {
        f.metadata("dynamodb.ApproximateCreationDateTime is out of range");
        return null;
      }
      epochMillis = millis.longValue();
    }
    Instant instant = Instant.ofEpochMilli(epochMillis);
    if (instant.getEpochSecond() > MAX_PLAUSIBLE_EPOCH_SECONDS) {
      instant = Instant.ofEpochMilli(instant.getEpochSecond());
    }
    return instant;
  }

  /**
   * One image (or key set). A problem inside it is thrown once the parser has left it, so the next
   * field of the record is read from the right place.
   */
  private Item item(JsonToken start, String section) throws IOException {
    if (start == JsonToken.VALUE_NULL) return null;
    if (start != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw new PoisonRecordException(
          ErrorCode.UNPARSABLE_IMAGE, null, section + " is not an object");
    }
    int depth = p.getParsingContext().getNestingDepth();
    try {
      Attributes.Builder attributes = new Attributes.Builder(32);
      // nextFieldName: jackson's quick path for object members (null at the object's end).
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        DynamoValue value = value(p.nextToken(), section, name);
        if (!attributes.add(name, value)) {
          throw new PoisonRecordException(
              ErrorCode.UNPARSABLE_IMAGE, name, section + "." + name + " appears twice");
        }
      }
      return new Item(attributes.build());
    } catch (PoisonRecordException e) {
      while (p.getParsingContext().getNestingDepth() >= depth) {
        if (p.nextToken() == null) break;
      }
      throw e;
    }
  }

  /**
   * One attribute value: an object with exactly one DynamoDB type. As the event model read it, a
   * type given as null counts as absent, and so does {@code "NULL": false}.
   */
  private DynamoValue value(JsonToken start, String section, String attribute) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw untyped(section, attribute);
    }
    DynamoValue value = null;
    for (String type = nextType(); type != null; type = nextType()) {
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NULL) continue;
      DynamoValue read =
          switch (type) {
            case "S" -> new DynamoValue.S(string(v, section, attribute));
            case "N" ->
                new DynamoValue.N(number(string(v, section, attribute), section, attribute));
            case "B" -> new DynamoValue.B(binary(v, section, attribute));
            case "BOOL" -> new DynamoValue.Bool(bool(v, section, attribute));
            case "NULL" -> bool(v, section, attribute) ? DynamoValue.Null.INSTANCE : null;
            case "M" -> map(v, section, attribute);
            case "L" -> list(v, section, attribute);
            case "SS" -> {
              requireArray(v, section, attribute);
              List<String> members = new ArrayList<>();
              for (JsonToken m = member(section, attribute); m != null; ) {
                members.add(string(m, section, attribute));
                m = member(section, attribute);
              }
              yield new DynamoValue.SS(members);
            }
            case "NS" -> {
              requireArray(v, section, attribute);
              List<BigDecimal> members = new ArrayList<>();
              for (JsonToken m = member(section, attribute); m != null; ) {
                members.add(number(string(m, section, attribute), section, attribute));
                m = member(section, attribute);
              }
              yield new DynamoValue.NS(members);
            }
            case "BS" -> {
              requireArray(v, section, attribute);
              List<byte[]> members = new ArrayList<>();
              for (JsonToken m = member(section, attribute); m != null; ) {
                members.add(binary(m, section, attribute));
                m = member(section, attribute);
              }
              yield new DynamoValue.BS(members);
            }
            default -> {
              p.skipChildren();
              yield null;
            }
          };
      if (read == null) continue;
      if (value != null) {
        throw new PoisonRecordException(
            ErrorCode.UNPARSABLE_IMAGE,
            attribute,
            section + "." + attribute + " has more than one DynamoDB type");
      }
      value = read;
    }
    if (value == null) throw untyped(section, attribute);
    return value;
  }

  /** Most values are strings: jackson matches "S" on its bytes, with no look-up of the name. */
  private static final SerializedString TYPE_S = new SerializedString("S");

  /** The next type name of an attribute value's object, or null at its end. */
  private String nextType() throws IOException {
    if (p.nextFieldName(TYPE_S)) return "S";
    return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
  }

  private DynamoValue.M map(JsonToken start, String section, String attribute) throws IOException {
    if (start != JsonToken.START_OBJECT) throw wrongType(section, attribute, "M");
    Attributes.Builder m = new Attributes.Builder(8);
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String key = p.currentName();
      // Nested keys stay out of messages: a map's keys can be data (an e-mail as a key).
      if (!m.add(key, value(p.nextToken(), section, attribute))) {
        throw new PoisonRecordException(
            ErrorCode.UNPARSABLE_IMAGE,
            attribute,
            section + "." + attribute + " is a map with a key twice");
      }
    }
    return new DynamoValue.M(m.build());
  }

  private DynamoValue.L list(JsonToken start, String section, String attribute) throws IOException {
    if (start != JsonToken.START_ARRAY) throw wrongType(section, attribute, "L");
    List<DynamoValue> l = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      l.add(value(t, section, attribute));
    }
    return new DynamoValue.L(l);
  }

  /** The next member of a set whose array is open, or null after the last. */
  private JsonToken member(String section, String attribute) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_NULL) {
      throw new PoisonRecordException(
          ErrorCode.UNPARSABLE_IMAGE,
          attribute,
          section + "." + attribute + " is a set with a null member");
    }
    return t == JsonToken.END_ARRAY ? null : t;
  }

  private void requireArray(JsonToken start, String section, String attribute) throws IOException {
    if (start != JsonToken.START_ARRAY) throw wrongType(section, attribute, "a set");
  }

  private String string(JsonToken v, String section, String attribute) throws IOException {
    if (v != JsonToken.VALUE_STRING) throw wrongType(section, attribute, "a string");
    return p.getText();
  }

  private boolean bool(JsonToken v, String section, String attribute) throws IOException {
    if (v == JsonToken.VALUE_TRUE) return true;
    if (v == JsonToken.VALUE_FALSE) return false;
    throw wrongType(section, attribute, "a boolean");
  }

  private byte[] binary(JsonToken v, String section, String attribute) throws IOException {
    if (v != JsonToken.VALUE_STRING) throw wrongType(section, attribute, "base64 text");
    try {
      return p.getBinaryValue();
    } catch (JsonProcessingException e) {
      throw new PoisonRecordException(
          ErrorCode.UNPARSABLE_IMAGE, attribute, section + "." + attribute + " is not base64");
    }
  }

  private static BigDecimal number(String text, String section, String attribute) {
    return DynamoNumber.parse(text, attribute, section + "." + attribute);
  }

  private PoisonRecordException wrongType(String section, String attribute, String expected)
      throws IOException {
    p.skipChildren();
    return new PoisonRecordException(
        ErrorCode.UNPARSABLE_IMAGE,
        attribute,
        section + "." + attribute + " does not hold " + expected + " where its type says so");
  }

  private static PoisonRecordException untyped(String section, String attribute) {
    return new PoisonRecordException(
        ErrorCode.UNPARSABLE_IMAGE,
        attribute,
        section
            + "."
            + attribute
            + " has no DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
  }
}
