package dev.ddbwarehouse.local.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class LambdaEventJsonTest {

  private static final String ARN =
      "arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000";

  private static software.amazon.awssdk.services.dynamodb.model.AttributeValue sdk(String s) {
    return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(s);
  }

  @Test
  void everyAttributeTypeSurvivesTheRoundTripThroughTheLambdaSerializer() {
    var av = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image =
        Map.of(
            "id", sdk("t-1"),
            "amount", av.n("12.34").build(),
            "blob",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromB(
                    SdkBytes.fromUtf8String("hi")),
            "flag", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(true),
            "nothing", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNul(true),
            "tags",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(
                    List.of("a", "b")),
            "nums",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNs(
                    List.of("1", "2.5")),
            "blobs",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBs(
                    List.of(SdkBytes.fromUtf8String("x"))),
            "nested",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(
                    Map.of("k", sdk("v"))),
            "list",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(
                    List.of(sdk("e"))));
    Record record =
        Record.builder()
            .eventID("ev-1")
            .eventName(OperationType.MODIFY)
            .eventVersion("1.1")
            .eventSource("aws:dynamodb")
            .awsRegion("ddblocal")
            .userIdentity(
                Identity.builder().principalId("dynamodb.amazonaws.com").type("Service").build())
            .dynamodb(
                StreamRecord.builder()
                    .approximateCreationDateTime(Instant.parse("2026-01-02T03:04:05Z"))
                    .keys(Map.of("id", sdk("t-1")))
                    .newImage(image)
                    .oldImage(Map.of("id", sdk("t-1")))
                    .sequenceNumber("000000000000000000042")
                    .sizeBytes(99L)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                    .build())
            .build();

    StreamRecordJson rendered = LambdaEventJson.render(record, ARN, "shard-0");
    DynamodbEvent event =
        new LambdaEventParser().parse(LambdaEventJson.event(List.of(rendered, rendered)));

    assertThat(rendered.key()).isEqualTo("t-1");
    assertThat(rendered.sequenceNumber()).isEqualTo("000000000000000000042");
    assertThat(event.getRecords()).hasSize(2);
    DynamodbEvent.DynamodbStreamRecord parsed = event.getRecords().get(0);
    assertThat(parsed.getEventName()).isEqualTo("MODIFY");
    assertThat(parsed.getEventSourceARN()).isEqualTo(ARN);
    assertThat(parsed.getUserIdentity().getType()).isEqualTo("Service");
    assertThat(parsed.getDynamodb().getApproximateCreationDateTime().toInstant())
        .isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(parsed.getDynamodb().getSequenceNumber()).isEqualTo("000000000000000000042");
    Map<String, AttributeValue> parsedImage = parsed.getDynamodb().getNewImage();
    assertThat(parsedImage.get("amount").getN()).isEqualTo("12.34");
    assertThat(parsedImage.get("blob").getB())
        .isEqualTo(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
    assertThat(parsedImage.get("flag").getBOOL()).isTrue();
    assertThat(parsedImage.get("nothing").getNULL()).isTrue();
    assertThat(parsedImage.get("tags").getSS()).containsExactly("a", "b");
    assertThat(parsedImage.get("nums").getNS()).containsExactly("1", "2.5");
    assertThat(parsedImage.get("blobs").getBS()).hasSize(1);
    assertThat(parsedImage.get("nested").getM().get("k").getS()).isEqualTo("v");
    assertThat(parsedImage.get("list").getL().get(0).getS()).isEqualTo("e");
    assertThat(parsed.getDynamodb().getOldImage()).containsOnlyKeys("id");
  }

  @Test
  void removeRecordWithoutNewImageOmitsTheField() {
    Record record =
        Record.builder()
            .eventID("ev-2")
            .eventName(OperationType.REMOVE)
            .eventSource("aws:dynamodb")
            .dynamodb(
                StreamRecord.builder()
                    .keys(Map.of("id", sdk("t-2")))
                    .oldImage(Map.of("id", sdk("t-2")))
                    .sequenceNumber("7")
                    .build())
            .build();

    String json =
        new String(LambdaEventJson.render(record, ARN, "s").json(), StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("NewImage").contains("\"OldImage\"");
  }

  @Test
  void eventSizeMatchesTheBytesOfTheBuiltEvent() {
    Record record =
        Record.builder()
            .eventID("e")
            .dynamodb(
                StreamRecord.builder().keys(Map.of("id", sdk("k"))).sequenceNumber("1").build())
            .build();
    StreamRecordJson one = LambdaEventJson.render(record, ARN, "s");

    byte[] event = LambdaEventJson.event(List.of(one, one, one));

    assertThat(event.length).isEqualTo(LambdaEventJson.eventSize(3 * one.json().length, 3));
  }
}
