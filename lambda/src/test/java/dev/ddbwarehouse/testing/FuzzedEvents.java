package dev.ddbwarehouse.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda DynamoDB Streams event in JSON, shaped by fuzz data: records with random event names and
 * metadata, images that start from a valid transaction (so the fuzzer reaches the deep checks) and
 * then lose, gain or replace attributes with values whose type tags and contents are random or
 * malformed. Every string value generated carries {@link #CANARY}, names and metadata never do.
 */
public final class FuzzedEvents {

  /** Marks generated values; a quarantine message or attribute containing it quotes data. */
  public static final String CANARY = "FZCANARY";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TAGS = {
    "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "s", "X", ""
  };
  private static final String[] NAMES = {
    "transactionId", "userId", "accountId", "counterpartyIban", "email", "phone", "ipAddress",
    "counterpartyName", "metadata", "amount", "currency", "type", "status", "merchantName",
    "merchantCategoryCode", "country", "tags", "createdAt", "updatedAt", "extra"
  };
  private static final String[] VALID_TEXT = {
    "EUR",
    "usd",
    "DE",
    "de",
    "5814",
    "2026-01-01T10:00:00Z",
    "2026-01-01T10:00:00.5+01:00",
    "2026-02-30T00:00:00Z",
    "203.0.113.7",
    "2001:db8::1",
    "",
    " ",
    "PENDING"
  };
  private static final String[] NUMBERS = {
    "12.50",
    "0",
    "-0.0",
    "1e2147483648",
    "1E-130",
    "9.99E+125",
    "1e126",
    "0.000000001",
    "1767225600000",
    "-1",
    "NaN",
    "1,5",
    " 7 ",
    "1234567890123456789012345678901234567890"
  };
  private static final String[] EVENT_NAMES = {"INSERT", "MODIFY", "REMOVE", "insert", ""};

  private final FuzzedDataProvider data;

  private FuzzedEvents(FuzzedDataProvider data) {
    this.data = data;
  }

  /** The event's JSON text; sometimes raw fuzz text, which need not be JSON at all. */
  public static String json(FuzzedDataProvider data) {
    if (data.consumeInt(0, 15) == 0) return data.consumeString(300);
    FuzzedEvents f = new FuzzedEvents(data);
    List<Object> records = new ArrayList<>();
    for (int i = data.consumeInt(0, 5); i > 0; i--) {
      records.add(data.consumeInt(0, 20) == 0 ? null : f.record(i));
    }
    try {
      return JSON.writeValueAsString(Map.of("Records", records));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> record(int index) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("eventID", choose("event-" + index, name(40), null));
    r.put("eventName", data.consumeInt(0, 6) == 0 ? name(10) : data.pickValue(EVENT_NAMES));
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put(
        "eventSourceARN",
        choose(StreamEvents.STREAM_ARN, StreamEvents.STREAM_ARN + "-x", name(30)));
    if (data.consumeBoolean()) {
      r.put(
          "userIdentity",
          Map.of(
              "type", choose("Service", name(8), "Service"),
              "principalId", choose("dynamodb.amazonaws.com", name(20), "dynamodb.amazonaws.com")));
    }
    if (data.consumeInt(0, 20) == 0) return r;
    Map<String, Object> ddb = new LinkedHashMap<>();
    ddb.put(
        "ApproximateCreationDateTime",
        choose(
            1_767_225_600L + data.consumeInt(0, 1000),
            data.consumeLong(),
            data.consumeRegularDouble()));
    Map<String, Object> image = image();
    Object id = image.get("transactionId");
    ddb.put(
        "Keys",
        data.consumeInt(0, 8) == 0
            ? attributes(2)
            : id == null ? Map.of() : Map.of("transactionId", id));
    if (data.consumeInt(0, 4) > 0) ddb.put("NewImage", image);
    if (data.consumeBoolean()) ddb.put("OldImage", data.consumeBoolean() ? image : image());
    ddb.put(
        "SequenceNumber",
        choose(String.format("%021d", data.consumeInt(0, Integer.MAX_VALUE)), name(45), null));
    ddb.put("SizeBytes", 100);
    ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    r.put("dynamodb", ddb);
    return r;
  }

  /** A valid transaction, then up to five removals, replacements or additions. */
  private Map<String, Object> image() {
    Map<String, Object> image =
        new LinkedHashMap<>(TransactionItem.of("t-" + data.consumeInt(0, 9)).attributes());
    image.put("userId", Map.of("S", CANARY + "-user"));
    image.put("email", Map.of("S", CANARY + "-mail@example.test"));
    for (int i = data.consumeInt(0, 5); i > 0; i--) {
      String name = data.consumeBoolean() ? data.pickValue(NAMES) : name(12);
      if (data.consumeInt(0, 3) == 0) image.remove(name);
      else image.put(name, value(3));
    }
    return image;
  }

  private Map<String, Object> attributes(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) m.put(name(8), value(depth - 1));
    return m;
  }

  /** An attribute value: usually one type tag, sometimes none or two; contents random. */
  private Object value(int depth) {
    int shape = data.consumeInt(0, 30);
    if (shape == 0) return null;
    if (shape == 1) return text();
    Map<String, Object> v = new LinkedHashMap<>();
    for (int tags = shape == 2 ? 0 : shape == 3 ? 2 : 1; tags > 0; tags--) {
      String tag = data.pickValue(TAGS);
      v.put(tag, content(tag, depth));
    }
    return v;
  }

  private Object content(String tag, int depth) {
    if (data.consumeInt(0, 12) == 0) return scalar(); // a wrong JSON type for the tag
    return switch (tag) {
      case "S" -> data.consumeBoolean() ? data.pickValue(VALID_TEXT) : text();
      case "N" -> data.consumeBoolean() ? data.pickValue(NUMBERS) : number();
      case "B" -> data.consumeBoolean() ? "AAEC" : text();
      case "BOOL" -> data.consumeBoolean();
      case "NULL" -> data.consumeInt(0, 4) > 0;
      case "M" -> depth <= 0 ? Map.of() : attributes(depth);
      case "L", "SS", "NS", "BS" -> {
        List<Object> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          list.add(
              switch (tag) {
                case "L" -> depth <= 0 ? null : value(depth - 1);
                case "NS" -> data.consumeInt(0, 8) == 0 ? null : number();
                case "BS" -> data.consumeInt(0, 8) == 0 ? null : "AAEC";
                default -> data.consumeInt(0, 8) == 0 ? null : text();
              });
        }
        yield list;
      }
      default -> text();
    };
  }

  private Object scalar() {
    return switch (data.consumeInt(0, 4)) {
      case 0 -> data.consumeLong();
      case 1 -> data.consumeRegularDouble();
      case 2 -> data.consumeBoolean();
      case 3 -> List.of(text());
      default -> Map.of(name(4), text());
    };
  }

  private String text() {
    return CANARY + data.consumeString(40);
  }

  private String number() {
    return data.consumeBoolean()
        ? CANARY + data.consumeAsciiString(10)
        : data.consumeAsciiString(30);
  }

  /** Names and metadata from fuzz data, never carrying the canary (they are stored as they are). */
  private String name(int max) {
    String name = data.consumeString(max);
    while (name.contains(CANARY)) name = name.replace(CANARY, "");
    return name;
  }

  @SafeVarargs
  private <T> T choose(T usual, T... odd) {
    int i = data.consumeInt(0, odd.length * 2);
    return i < odd.length ? odd[i] : usual;
  }
}
