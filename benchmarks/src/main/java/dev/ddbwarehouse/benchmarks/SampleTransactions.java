package dev.ddbwarehouse.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.core.policy.MappingDocument;
import dev.ddbwarehouse.core.pseudonym.KeyRing;
import dev.ddbwarehouse.core.pseudonym.Pseudonymiser;
import dev.ddbwarehouse.core.table.RowMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fake transactions shaped like the source table's items (every attribute of the default mapping,
 * identifying ones included), as core {@link Item}s and as the Lambda event JSON that carries them.
 * Deterministic, so runs compare.
 */
public final class SampleTransactions {

  /** A fixed benchmark key: pseudonym cost does not depend on the key's value. */
  static final String KEY_JSON =
      "{\"active\":\"bench-1\",\"keys\":{\"bench-1\":\"YmVuY2htYXJrLWtleS1ub3Qtc2VjcmV0LTMyLWJ5dGVzISE=\"}}";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STREAM_ARN =
      "arn:aws:dynamodb:eu-central-1:000000000000:table/transactions/stream/2026-10-01T00:00:00.000";
  private static final String[] MERCHANTS = {
    "Corner Grocer", "Rail Tickets", "Book Shop", "Coffee Bar"
  };
  private static final String[] MCC = {"5411", "4112", "5942", "5814"};
  private static final String[] STATUS = {"pending", "settled", "refunded"};

  private SampleTransactions() {}

  public static RowMapper mapper() {
    return new RowMapper(
        MappingDocument.defaults().table("transactions").orElseThrow(), pseudonymiser());
  }

  public static Pseudonymiser pseudonymiser() {
    return new Pseudonymiser(KeyRing.parse(KEY_JSON, "benchmark key"));
  }

  public static List<Item> items(int count) {
    Random random = new Random(42);
    List<Item> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) items.add(item(i, random));
    return items;
  }

  private static Item item(int i, Random random) {
    int person = random.nextInt(5_000);
    Instant created = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(30_000_000));
    Map<String, DynamoValue> a = new LinkedHashMap<>();
    a.put("transactionId", s(String.format(Locale.ROOT, "tx-%08d", i)));
    a.put("userId", s("user-" + person));
    a.put("accountId", s("acc-" + person + "-" + random.nextInt(3)));
    a.put(
        "counterpartyIban",
        s(
            String.format(
                Locale.ROOT, "de89 3704 0044 %04d %04d 00", random.nextInt(10_000), i % 10_000)));
    a.put("counterpartyName", s("Counterparty " + random.nextInt(1_000)));
    a.put("email", s(" Person." + person + "@Example.COM "));
    a.put(
        "phone",
        s(String.format(Locale.ROOT, "+49 (151) %04d-%04d", person, random.nextInt(10_000))));
    a.put(
        "ipAddress",
        s(
            i % 5 == 0
                ? String.format(
                    Locale.ROOT,
                    "2001:db8:%x:%x::%x",
                    random.nextInt(65_536),
                    random.nextInt(65_536),
                    i)
                : String.format(
                    Locale.ROOT, "203.0.%d.%d", random.nextInt(256), random.nextInt(256))));
    a.put("amount", new DynamoValue.N(BigDecimal.valueOf(random.nextInt(10_000_000), 2)));
    a.put("currency", s(i % 4 == 0 ? "USD" : "EUR"));
    a.put("type", s(i % 3 == 0 ? "transfer" : "card"));
    a.put("status", s(STATUS[random.nextInt(STATUS.length)]));
    int merchant = random.nextInt(MERCHANTS.length);
    a.put("merchantName", s(MERCHANTS[merchant]));
    a.put("merchantCategoryCode", s(MCC[merchant]));
    a.put("country", s(i % 7 == 0 ? "FR" : "DE"));
    a.put("tags", new DynamoValue.SS(List.of("online", "m" + merchant)));
    a.put("createdAt", s(created.toString()));
    a.put("updatedAt", s(created.plusSeconds(random.nextInt(86_400)).toString()));
    a.put(
        "metadata",
        new DynamoValue.M(Map.of("channel", s("app"), "device", s("ios-" + random.nextInt(20)))));
    return new Item(a);
  }

  /** One Lambda event (as Lambda sends it) of INSERT records carrying {@code items}. */
  public static byte[] eventJson(List<Item> items) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    long sequence = 100_000_000_000_000_000L;
    for (Item item : items) {
      ObjectNode record = records.addObject();
      record.put("eventID", Long.toHexString(sequence));
      record.put("eventName", "INSERT");
      record.put("eventVersion", "1.1");
      record.put("eventSource", "aws:dynamodb");
      record.put("awsRegion", "eu-central-1");
      ObjectNode ddb = record.putObject("dynamodb");
      // Stamped when the item was last written, as DynamoDB does: inside the versionWindow.
      String updatedAt = ((DynamoValue.S) item.get("updatedAt").orElseThrow()).value();
      ddb.put("ApproximateCreationDateTime", java.time.Instant.parse(updatedAt).getEpochSecond());
      ddb.putObject("Keys").set("transactionId", json(item.get("transactionId").orElseThrow()));
      ObjectNode image = ddb.putObject("NewImage");
      item.attributes().forEach((name, value) -> image.set(name, json(value)));
      ddb.put("SequenceNumber", Long.toString(sequence++));
      ddb.put("SizeBytes", 700);
      ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
      record.put("eventSourceARN", STREAM_ARN);
    }
    try {
      return JSON.writeValueAsBytes(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DynamoDB JSON of one value; only the types {@link #item} uses. */
  private static ObjectNode json(DynamoValue value) {
    ObjectNode node = JSON.createObjectNode();
    switch (value) {
      case DynamoValue.S s -> node.put("S", s.value());
      case DynamoValue.N n -> node.put("N", n.value().toPlainString());
      case DynamoValue.SS ss -> ss.value().forEach(node.putArray("SS")::add);
      case DynamoValue.M m -> {
        ObjectNode map = node.putObject("M");
        m.value().forEach((k, v) -> map.set(k, json(v)));
      }
      default -> throw new IllegalArgumentException("no sample uses type " + value.type());
    }
    return node;
  }

  private static DynamoValue s(String value) {
    return new DynamoValue.S(value);
  }
}
