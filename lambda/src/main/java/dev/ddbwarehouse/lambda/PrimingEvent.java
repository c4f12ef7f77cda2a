package dev.ddbwarehouse.lambda;

import dev.ddbwarehouse.core.json.JsonText;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Generalisation;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synthetic event for priming, one INSERT per table of the mapping, built from each table's own
 * rules (so a mapping that renames or adds attributes still primes); holds no real data.
 */
final class PrimingEvent {

  /**
   * The records' version and the moment DynamoDB stamped them, the same instant: the mapping's
   * versionWindow admits it whatever its bounds, so each record maps to an upsert and priming
   * reaches the SQL rendering (a version ahead of the stamp made it quarantined, which warmed
   * nothing of jOOQ).
   */
  static final Instant STAMPED = Instant.parse("2026-01-01T00:00:00Z");

  private PrimingEvent() {}

  /** The event as Lambda would deliver it: JSON bytes. */
  static byte[] create(Mapping mapping) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (TableSpec table : mapping.tables()) records.add(record(table, records.size() + 1));
    return JsonText.write(Map.of("Records", records)).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> record(TableSpec table, int sequence) {
    Map<String, Object> image = new LinkedHashMap<>();
    for (AttributeRule rule : table.rules().values()) image.put(rule.attribute(), value(rule));
    for (String v : table.versionAttributes()) image.put(v, s(STAMPED.toString()));
    Map<String, Object> keys = new LinkedHashMap<>();
    for (String k : table.keyAttributes()) keys.put(k, image.get(k));
    Map<String, Object> ddb = new LinkedHashMap<>();
    ddb.put("Keys", keys);
    ddb.put("NewImage", image);
    ddb.put("SequenceNumber", Integer.toString(sequence));
    ddb.put("ApproximateCreationDateTime", STAMPED.getEpochSecond());
    ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("eventID", "priming-" + sequence);
    record.put("eventName", "INSERT");
    record.put(
        "eventSourceARN",
        "arn:aws:dynamodb:priming:000000000000:table/" + table.source() + "/stream/priming");
    record.put("dynamodb", ddb);
    return record;
  }

  /** A value the rule accepts. */
  private static Map<String, Object> value(AttributeRule rule) {
    return switch (rule.treatment()) {
      case KEEP ->
          switch (rule.type()) {
            case STRING -> s("priming");
            case NUMBER, INTEGER -> Map.of("N", "1");
            case AMOUNT -> Map.of("N", "1.00");
            case BOOLEAN -> Map.of("BOOL", true);
            case TIMESTAMP -> s(STAMPED.toString());
            case DATE -> s("2026-01-01");
            case STRING_SET -> Map.of("SS", List.of("priming"));
            case CURRENCY -> s("EUR");
            case COUNTRY -> s("DE");
            case MCC -> s("5411");
          };
      case PSEUDONYMISE -> s("priming@example.invalid");
      case GENERALISE_IP -> s("192.0.2.1");
      case TRUNCATE -> s(STAMPED.toString());
      case BUCKET ->
          ((Generalisation.Bucket) rule.generalisation()).ofYear()
              ? s("1990-01-01")
              : Map.of("N", "42");
      case ALLOW_LIST ->
          s(((Generalisation.AllowList) rule.generalisation()).values().iterator().next());
      case DROP, EXTRA -> s("priming");
    };
  }

  private static Map<String, Object> s(String value) {
    return Map.of("S", value);
  }
}
