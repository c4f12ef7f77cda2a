package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import dev.ddbwarehouse.core.transaction.TransactionMapper;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** A synthetic one-record event for priming before a SnapStart snapshot; holds no real data. */
final class PrimingEvent {

  /**
   * The record's version and the moment DynamoDB stamped it, the same instant: the mapping's
   * versionWindow admits it whatever its bounds, so the record maps to an upsert and priming
   * reaches the SQL rendering (a version ahead of the stamp made it quarantined, which warmed
   * nothing of jOOQ).
   */
  static final Instant STAMPED = Instant.parse("2026-01-01T00:00:00Z");

  private PrimingEvent() {}

  static DynamodbEvent create(TransactionMapper transactions) {
    String idAttribute = transactions.transactionIdAttribute();
    Map<String, AttributeValue> image =
        Map.of(
            idAttribute,
            new AttributeValue().withS("priming-0"),
            "userId",
            new AttributeValue().withS("priming-user"),
            "email",
            new AttributeValue().withS("priming@example.invalid"),
            "ipAddress",
            new AttributeValue().withS("192.0.2.1"),
            "amount",
            new AttributeValue().withN("1.00"),
            "currency",
            new AttributeValue().withS("EUR"),
            "tags",
            new AttributeValue().withSS(List.of("priming")),
            "createdAt",
            new AttributeValue().withS(STAMPED.toString()));
    StreamRecord ddb =
        new StreamRecord()
            .withKeys(Map.of(idAttribute, new AttributeValue().withS("priming-0")))
            .withNewImage(image)
            .withSequenceNumber("1")
            .withApproximateCreationDateTime(Date.from(STAMPED))
            .withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
    DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventID("priming");
    record.setEventName("INSERT");
    record.setEventSourceARN("priming");
    record.setDynamodb(ddb);
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(List.of(record));
    return event;
  }
}
