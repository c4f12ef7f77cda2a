package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.core.ErrorCode;
import dev.ddbwarehouse.core.change.EventKind;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.change.SourceRecord;
import dev.ddbwarehouse.core.item.DynamoValue;
import dev.ddbwarehouse.core.item.Item;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testsupport.StreamEventFixtures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamodbEventMapperTest {

  /** A project fixture (always present). */
  private static List<IncomingRecord> read(String fixture) {
    return map(StreamEventFixtures.project(fixture));
  }

  /** An AWS-published sample: the test is skipped, saying so, where they are not beside us. */
  private static List<IncomingRecord> readAwsSample(String fixture) {
    return map(StreamEventFixtures.awsSample(fixture));
  }

  private static List<IncomingRecord> map(Path file) {
    return DynamodbEventMapper.map(StreamEvents.parse(file));
  }

  private static SourceRecord readable(IncomingRecord r) {
    assertThat(r).isInstanceOf(IncomingRecord.Readable.class);
    return ((IncomingRecord.Readable) r).record();
  }

  @Test
  void unmarshalsEveryAttributeTypeExactly() {
    Item image = readable(read("transactions-all-attribute-types.json").get(0)).newImage();

    Map<String, DynamoValue> a = image.attributes();
    assertThat(a.get("receipt")).isEqualTo(new DynamoValue.B(new byte[] {0x00, 0x01, 0x2a, 0x41}));
    assertThat(a.get("receiptPages"))
        .isEqualTo(
            new DynamoValue.BS(
                List.of(new byte[] {0x00, 0x01, 0x2a, 0x41}, new byte[] {0x41, 0x2a, 0x01, 0x00})));
    assertThat(a.get("flagged")).isEqualTo(new DynamoValue.Bool(false));
    assertThat(a.get("reviewedBy")).isEqualTo(DynamoValue.Null.INSTANCE);
    assertThat(a.get("history"))
        .isInstanceOfSatisfying(
            DynamoValue.L.class,
            l ->
                assertThat(l.value())
                    .containsExactly(
                        new DynamoValue.S("created"),
                        new DynamoValue.N(new BigDecimal("3.14159")),
                        new DynamoValue.Bool(true),
                        DynamoValue.Null.INSTANCE,
                        new DynamoValue.L(List.of()),
                        new DynamoValue.M(Map.of())));
    assertThat(a.get("amount")).isEqualTo(new DynamoValue.N(new BigDecimal("1234567.89012345")));
    assertThat(((DynamoValue.N) a.get("amount")).value().scale()).as("never a double").isEqualTo(8);
    assertThat(a.get("limits"))
        .isEqualTo(
            new DynamoValue.NS(
                List.of(
                    new BigDecimal("100"),
                    new BigDecimal("2500.50"),
                    new BigDecimal("-7"),
                    new BigDecimal("1E+3"))));
    assertThat(a.get("labels")).isEqualTo(new DynamoValue.SS(List.of("Zürich", "東京", "emoji 💶")));
    assertThat(a.get("tags")).isEqualTo(new DynamoValue.SS(List.of("card", "contactless")));
    assertThat(a.get("createdAt")).isEqualTo(new DynamoValue.N(new BigDecimal("1796032798123")));
    assertThat(a.get("nested"))
        .isEqualTo(
            new DynamoValue.M(
                Map.of(
                    "a",
                    new DynamoValue.M(
                        Map.of(
                            "b",
                            new DynamoValue.L(
                                List.of(new DynamoValue.N(new BigDecimal("0.000000001")))))),
                    "empty",
                    new DynamoValue.SS(List.of()))));
  }

  @Test
  void unmarshalsTheAwsSampleHoldingEveryType() {
    // aws-lambda-go's sample: record 2 holds every DynamoDB type, and an empty string set.
    Map<String, DynamoValue> a =
        readable(readAwsSample("awslambdago-dynamodb-event.json").get(1)).newImage().attributes();

    assertThat(a.get("Binary")).isEqualTo(new DynamoValue.B(new byte[] {0x00, 0x01, 0x2a, 0x41}));
    assertThat(a.get("FloatNumber")).isEqualTo(new DynamoValue.N(new BigDecimal("123.45")));
    assertThat(a.get("NumberSet"))
        .isEqualTo(new DynamoValue.NS(List.of(new BigDecimal("1234"), new BigDecimal("567.8"))));
    assertThat(a.get("EmptyStringSet")).isEqualTo(new DynamoValue.SS(List.of()));
  }

  @Test
  void readsMetadataEventKindsAndTheTtlIdentity() {
    List<IncomingRecord> records = read("transactions-ttl-remove.json");

    SourceRecord insert = readable(records.get(0));
    SourceRecord ttlRemove = readable(records.get(2));
    assertThat(insert.kind()).isEqualTo(EventKind.INSERT);
    assertThat(insert.removedByTtl()).isFalse();
    assertThat(ttlRemove.kind()).isEqualTo(EventKind.REMOVE);
    assertThat(ttlRemove.removedByTtl()).isTrue();
    assertThat(ttlRemove.newImage()).isNull();
    assertThat(ttlRemove.oldImage()).isNotNull();
    assertThat(ttlRemove.meta().approximateCreation()).isEqualTo(Instant.ofEpochSecond(1796036398));
  }

  @Test
  void readsAKeysOnlyRemoveOfANewImageStream() {
    SourceRecord remove = readable(read("transactions-new-image.json").get(3));

    assertThat(remove.kind()).isEqualTo(EventKind.REMOVE);
    assertThat(remove.newImage()).isNull();
    assertThat(remove.oldImage()).isNull();
    assertThat(remove.removedByTtl()).isFalse();
  }

  @Test
  void readsApproximateCreationSentInMillisecondsAsMilliseconds() {
    SourceRecord r = readable(readAwsSample("dotnet-dynamodb-with-ms-event.json").get(0));

    assertThat(r.meta().approximateCreation()).isEqualTo(Instant.ofEpochSecond(1480642020));
  }

  @Test
  void readsApproximateCreationInExponentForm() {
    SourceRecord r = readable(readAwsSample("awslibs-java-events-ddb-alltypes.json").get(3));

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
    Item image = readable(read("transactions-all-attribute-types.json").get(0)).newImage();

    assertThat(image.attributes().values().toString())
        .doesNotContain("Fixture.Person", "DE89", "Zürich", "1234567.89");
  }
}
