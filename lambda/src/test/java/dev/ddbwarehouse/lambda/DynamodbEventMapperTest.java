package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.AttributeValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.testing.Fixtures;
import dev.ddbwarehouse.testing.StreamEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamodbEventMapperTest {

  private static List<IncomingRecord> read(String fixture) {
    DynamodbEvent event = StreamEvents.parse(Fixtures.directory().resolve(fixture));
    return DynamodbEventMapper.map(event);
  }

  private static SourceRecord readable(IncomingRecord r) {
    assertThat(r).isInstanceOf(IncomingRecord.Readable.class);
    return ((IncomingRecord.Readable) r).record();
  }

  @Test
  void unmarshalsEveryAttributeTypeExactly() {
    // aws-lambda-go's sample: record 2 holds every DynamoDB type.
    Item image = readable(read("awslambdago-dynamodb-event.json").get(1)).newImage();

    Map<String, AttributeValue> a = image.attributes();
    assertThat(a.get("Binary"))
        .isEqualTo(new AttributeValue.B(new byte[] {0x00, 0x01, 0x2a, 0x41}));
    assertThat(a.get("Boolean")).isEqualTo(new AttributeValue.Bool(true));
    assertThat(a.get("BinarySet")).isInstanceOf(AttributeValue.BS.class);
    assertThat(a.get("List"))
        .isInstanceOfSatisfying(
            AttributeValue.L.class,
            l ->
                assertThat(l.value())
                    .hasSize(3)
                    .last()
                    .isEqualTo(new AttributeValue.N(new BigDecimal("3.14159"))));
    assertThat(a.get("Map")).isInstanceOf(AttributeValue.M.class);
    assertThat(a.get("FloatNumber")).isEqualTo(new AttributeValue.N(new BigDecimal("123.45")));
    assertThat(((AttributeValue.N) a.get("FloatNumber")).value().scale())
        .as("never a double")
        .isEqualTo(2);
    assertThat(a.get("NumberSet"))
        .isEqualTo(new AttributeValue.NS(List.of(new BigDecimal("1234"), new BigDecimal("567.8"))));
    assertThat(a.get("Null")).isEqualTo(AttributeValue.Null.INSTANCE);
    assertThat(a.get("String")).isEqualTo(new AttributeValue.S("Hello"));
    assertThat(a.get("StringSet")).isEqualTo(new AttributeValue.SS(List.of("Giraffe", "Zebra")));
    assertThat(a.get("EmptyStringSet")).isEqualTo(new AttributeValue.SS(List.of()));
  }

  @Test
  void readsMetadataEventKindsAndTheTtlIdentity() {
    List<IncomingRecord> records = read("dotnet-dynamodb-ttl-remove-event.json");

    SourceRecord insert = readable(records.get(0));
    SourceRecord ttlRemove = readable(records.get(1));
    assertThat(insert.kind()).isEqualTo(EventKind.INSERT);
    assertThat(insert.removedByTtl()).isFalse();
    assertThat(ttlRemove.kind()).isEqualTo(EventKind.REMOVE);
    assertThat(ttlRemove.removedByTtl()).isTrue();
    assertThat(ttlRemove.newImage()).isNull();
    assertThat(ttlRemove.oldImage()).isNotNull();
    assertThat(ttlRemove.meta().approximateCreation()).isEqualTo(Instant.ofEpochSecond(1480642020));
  }

  @Test
  void readsApproximateCreationSentInMillisecondsAsMilliseconds() {
    SourceRecord r = readable(read("dotnet-dynamodb-with-ms-event.json").get(0));

    assertThat(r.meta().approximateCreation()).isEqualTo(Instant.ofEpochSecond(1480642020));
  }

  @Test
  void readsApproximateCreationInExponentForm() {
    SourceRecord r = readable(read("awslibs-java-events-ddb-alltypes.json").get(3));

    assertThat(r.meta().approximateCreation()).isEqualTo(Instant.ofEpochSecond(1441305240));
  }

  @Test
  void untypedOrUnknownRecordsAreUnreadableWithAReason() {
    StreamEvents events =
        StreamEvents.startingAt(1)
            .add(
                "INSERT",
                Map.of("transactionId", Map.of("S", "t")),
                Map.of("amount", Map.of()),
                null,
                false)
            .add("UPSERT", Map.of("transactionId", Map.of("S", "t")), Map.of(), null, false)
            .add(
                "INSERT",
                Map.of("transactionId", Map.of("S", "t")),
                Map.of("amount", Map.of("N", "12,5")),
                null,
                false);

    List<IncomingRecord> records = DynamodbEventMapper.map(events.event());

    assertThat(records)
        .allSatisfy(r -> assertThat(r).isInstanceOf(IncomingRecord.Unreadable.class));
    assertThat(records)
        .extracting(r -> ((IncomingRecord.Unreadable) r).problem().code())
        .containsExactly(
            ErrorCode.UNPARSABLE_IMAGE, ErrorCode.UNKNOWN_EVENT_NAME, ErrorCode.INVALID_NUMBER);
    assertThat(((IncomingRecord.Unreadable) records.get(2)).problem().getMessage())
        .isEqualTo("NewImage.amount is not a number")
        .doesNotContain("12,5");
  }

  @Test
  void valuesNeverShowInToString() {
    Item image = readable(read("awslambdago-dynamodb-event.json").get(1)).newImage();

    assertThat(image.attributes().values().toString()).doesNotContain("Hello", "Giraffe", "123.45");
  }
}
