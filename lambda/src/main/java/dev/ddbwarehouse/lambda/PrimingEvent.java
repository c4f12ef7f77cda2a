package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import dev.ddbwarehouse.core.policy.AttributeRule;
import dev.ddbwarehouse.core.policy.Generalisation;
import dev.ddbwarehouse.core.table.Mapping;
import dev.ddbwarehouse.core.table.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
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

  static DynamodbEvent create(Mapping mapping) {
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    for (TableSpec table : mapping.tables()) records.add(record(table, records.size() + 1));
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(records);
    return event;
  }

  private static DynamodbEvent.DynamodbStreamRecord record(TableSpec table, int sequence) {
    Map<String, AttributeValue> image = new LinkedHashMap<>();
    for (AttributeRule rule : table.rules().values()) image.put(rule.attribute(), value(rule));
    for (String v : table.versionAttributes()) {
      image.put(v, new AttributeValue().withS(STAMPED.toString()));
    }
    Map<String, AttributeValue> keys = new LinkedHashMap<>();
    for (String k : table.keyAttributes()) keys.put(k, image.get(k));
    StreamRecord ddb =
        new StreamRecord()
            .withKeys(keys)
            .withNewImage(image)
            .withSequenceNumber(Integer.toString(sequence))
            .withApproximateCreationDateTime(Date.from(STAMPED))
            .withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
    DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventID("priming-" + sequence);
    record.setEventName("INSERT");
    record.setEventSourceARN(
        "arn:aws:dynamodb:priming:000000000000:table/" + table.source() + "/stream/priming");
    record.setDynamodb(ddb);
    return record;
  }

  /** A value the rule accepts. */
  private static AttributeValue value(AttributeRule rule) {
    return switch (rule.treatment()) {
      case KEEP ->
          switch (rule.type()) {
            case STRING -> s("priming");
            case NUMBER, INTEGER -> new AttributeValue().withN("1");
            case AMOUNT -> new AttributeValue().withN("1.00");
            case BOOLEAN -> new AttributeValue().withBOOL(true);
            case TIMESTAMP -> s(STAMPED.toString());
            case DATE -> s("2026-01-01");
            case STRING_SET -> new AttributeValue().withSS(List.of("priming"));
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
              : new AttributeValue().withN("42");
      case ALLOW_LIST ->
          s(((Generalisation.AllowList) rule.generalisation()).values().iterator().next());
      case DROP, EXTRA -> s("priming");
    };
  }

  private static AttributeValue s(String value) {
    return new AttributeValue().withS(value);
  }
}
