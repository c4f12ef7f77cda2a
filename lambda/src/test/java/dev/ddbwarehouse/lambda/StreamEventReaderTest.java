package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.UnreadableEventException;
import dev.ddbwarehouse.testsupport.StreamEventFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The function's own event reading against the reference: the Lambda Java runtime's serialiser
 * building the event model, then the model read into the core's records ({@link
 * DynamodbEventMapper}, how the function read events before). Same bytes in, same records out, same
 * quarantine outcomes, for generated events of every attribute type and for every sample.
 */
class StreamEventReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PojoSerializer<DynamodbEvent> RUNTIME =
      LambdaEventSerializers.serializerFor(
          DynamodbEvent.class, StreamEventReaderTest.class.getClassLoader());

  private static final String ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000";

  private static final String OTHER_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/profiles/stream/2026-01-01T00:00:00.000";

  private static final String[] TEXTS = {
    "",
    "plain",
    "Zoë Müller",
    "東京都",
    "😀 emoji",
    "tab\there",
    "line\nbreak",
    "quote\"back\\",
    "\u0001control",
    "نص عربي",
    "a".repeat(300)
  };

  private static final String[] NUMBERS = {
    "0",
    "0.00",
    "-12.50",
    "1e5",
    "1E-130",
    "9.99E+125",
    "123456789012345678901234567890123456.78",
    " 42 ",
    "1E+126",
    "1E-131",
    "1234567890123456789012345678901234567890",
    "abc",
    "1e2147483648",
    "-0",
    "3.14159265358979323846264338327950288"
  };

  @Test
  void readsThousandsOfGeneratedEventsExactlyAsTheRuntimeSerialiserDoes() throws Exception {
    Random random = new Random(20261202);
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int e = 0; e < 2_000; e++) {
      List<Map<String, Object>> batch = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) batch.add(record(random, e * 10L + i));
      byte[] event = JSON.writeValueAsBytes(Map.of("Records", batch));
      for (IncomingRecord r : assertSameAsReference(event, "generated event " + e)) {
        String outcome =
            r instanceof IncomingRecord.Unreadable u ? u.problem().code().name() : "readable";
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    // The generator reaches every outcome, so agreement is not agreement on one easy case.
    assertThat(outcomes.keySet())
        .contains("readable", "UNPARSABLE_IMAGE", "INVALID_NUMBER", "UNKNOWN_EVENT_NAME");
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(5_000);
    assertThat(outcomes.get("readable")).isGreaterThan(500);
  }

  static List<Named<Path>> samples() {
    List<Named<Path>> out = new ArrayList<>();
    for (Path p : StreamEventFixtures.projectAndAwsSamples()) {
      out.add(Named.of(p.getFileName().toString(), p));
    }
    return out;
  }

  /** The project's events, and AWS's published samples where ../shared is beside the clone. */
  @ParameterizedTest
  @MethodSource("samples")
  void readsEverySampleEventAsTheRuntimeSerialiserDoes(Path sample) throws Exception {
    byte[] event = Files.readAllBytes(sample);
    List<IncomingRecord> read = assertSameAsReference(event, sample.toString());
    assertThat(read).isNotEmpty();
  }

  @Test
  void anEventCutShortAnywhereIsAnUnreadableEventNeverAnotherFailure() throws Exception {
    byte[] event =
        JSON.writeValueAsBytes(
            Map.of("Records", List.of(record(new Random(1), 1), record(new Random(2), 2))));
    for (int cut = 0; cut < event.length - 1; cut++) {
      byte[] prefix = java.util.Arrays.copyOf(event, cut);
      assertThatThrownBy(() -> StreamEventReader.readAll(prefix))
          .as("cut at %d of %d", cut, event.length)
          .isInstanceOf(UnreadableEventException.class);
    }
  }

  @Test
  void anEnvelopeThatIsNotAStreamEventFailsTheBatchWithAMessageThatQuotesNothing() {
    String canary = "canary-4711@example.com";
    for (String json :
        List.of(
            "\"" + canary + "\"",
            "[{\"eventID\": \"" + canary + "\"}]",
            "{\"Records\": \"" + canary + "\"}",
            "{\"Records\": [] , \"Records\": []}",
            "{\"Records\": []} {\"" + canary + "\": 1}",
            "{\"Records\": [" + canary + "]}",
            "{\"Records\": [{\"eventID\": \"a\"" + canary + "}]}",
            "")) {
      assertThatThrownBy(() -> StreamEventReader.readAll(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(UnreadableEventException.class)
          .message()
          .doesNotContain(canary)
          .doesNotContain("4711");
    }
  }

  @Test
  void anEventWithoutRecordsHasNone() {
    assertThat(StreamEventReader.readAll("{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(StreamEventReader.readAll("{\"Records\": null}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(
            StreamEventReader.readAll(
                "{\"other\": {\"x\": [1, 2]}, \"Records\": []}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void aRecordThatIsValidJsonButNotAStreamRecordIsQuarantinedAndTheNextOneIsRead() {
    String good =
        "{\"eventID\":\"ok\",\"eventName\":\"INSERT\",\"eventSourceARN\":\""
            + ARN
            + "\",\"dynamodb\":{\"SequenceNumber\":\"9\",\"Keys\":{\"id\":{\"S\":\"k\"}},"
            + "\"NewImage\":{\"id\":{\"S\":\"k\"}}}}";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("null", "UNPARSABLE_IMAGE the record is null");
    cases.put("42", "UNPARSABLE_IMAGE the record is not a JSON object");
    cases.put("{\"eventName\":\"INSERT\"}", "UNPARSABLE_IMAGE record has no dynamodb section");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"S\":\"x\"},\"a\":{\"S\":\"y\"}}}}",
        "UNPARSABLE_IMAGE NewImage.a appears twice");
    cases.put(
        "{\"eventName\":\"INSERT\",\"eventName\":\"REMOVE\",\"dynamodb\":{}}",
        "INVALID_RECORD_METADATA the record has eventName twice");
    cases.put(
        "{\"eventID\":7,\"eventName\":\"INSERT\",\"dynamodb\":{}}",
        "INVALID_RECORD_METADATA eventID is not a string");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"ApproximateCreationDateTime\":\"yesterday\"}}",
        "INVALID_RECORD_METADATA dynamodb.ApproximateCreationDateTime is not a number");
    for (String huge : List.of("9223372036854776", "-9223372036854776", "1" + "0".repeat(30))) {
      cases.put(
          "{\"eventName\":\"INSERT\",\"dynamodb\":{\"ApproximateCreationDateTime\":" + huge + "}}",
          "INVALID_RECORD_METADATA dynamodb.ApproximateCreationDateTime is out of range");
    }
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"S\":\"x\",\"N\":\"1\"}}}}",
        "UNPARSABLE_IMAGE NewImage.a has more than one DynamoDB type");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"N\":5}}}}",
        "UNPARSABLE_IMAGE NewImage.a does not hold a string where its type says so");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"M\":{\"k\":{\"S\":\"1\"},\"k\":{\"S\":\"2\"}}}}}}",
        "UNPARSABLE_IMAGE NewImage.a is a map with a key twice");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"B\":\"***\"}}}}",
        "UNPARSABLE_IMAGE NewImage.a is not base64");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":[1,2]}}",
        "UNPARSABLE_IMAGE NewImage is not an object");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"BOOL\":\"yes\"}}}}",
        "UNPARSABLE_IMAGE NewImage.a does not hold a boolean where its type says so");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"a\":{\"SS\":[\"x\",null]}}}}",
        "UNPARSABLE_IMAGE NewImage.a is a set with a null member");
    cases.put(
        "{\"eventName\":\"INSERT\",\"dynamodb\":\"none\"}",
        "INVALID_RECORD_METADATA dynamodb is not an object");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String json = "{\"Records\":[" + c.getKey() + "," + good + "]}";
      List<IncomingRecord> read = StreamEventReader.readAll(json.getBytes(StandardCharsets.UTF_8));
      assertThat(read).as(c.getKey()).hasSize(2);
      assertThat(read.get(0))
          .as(c.getKey())
          .isInstanceOfSatisfying(
              IncomingRecord.Unreadable.class,
              u ->
                  assertThat(u.problem().code() + " " + u.problem().getMessage())
                      .isEqualTo(c.getValue()));
      assertThat(read.get(1))
          .as("the record after " + c.getKey())
          .isInstanceOf(IncomingRecord.Readable.class);
      assertThat(read.get(1).meta().eventId()).isEqualTo("ok");
    }
  }

  private static List<IncomingRecord> assertSameAsReference(byte[] event, String what) {
    List<IncomingRecord> reference =
        DynamodbEventMapper.map(RUNTIME.fromJson(new ByteArrayInputStream(event)));
    List<IncomingRecord> read = StreamEventReader.readAll(event);
    assertThat(read).as(what).hasSameSizeAs(reference);
    for (int i = 0; i < read.size(); i++) {
      assertThat(describe(read.get(i)))
          .as("%s, record %d", what, i)
          .isEqualTo(describe(reference.get(i)));
    }
    return read;
  }

  /** Records compare as values; a problem by its code, attribute and message. */
  private static Object describe(IncomingRecord r) {
    return switch (r) {
      case IncomingRecord.Readable readable -> readable.record();
      case IncomingRecord.Unreadable u ->
          List.of(
              u.meta(),
              u.problem().code(),
              String.valueOf(u.problem().attribute()),
              u.problem().getMessage());
    };
  }

  // ---- generated events: Lambda's wire format, every attribute type, good and bad values

  private static Map<String, Object> record(Random random, long sequence) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("eventID", "ev-" + sequence);
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put("awsRegion", "eu-west-1");
    String[] names = {"INSERT", "MODIFY", "REMOVE", "INSERT", "INSERT", "DELETE"};
    if (random.nextInt(30) != 0) r.put("eventName", names[random.nextInt(names.length)]);
    // Mostly one stream's ARN, as a batch has it (the reader reuses a repeated one), sometimes
    // another table's, one to be sanitised, or none; before dynamodb or, as Lambda sends it, after.
    String[] arns = {ARN, ARN, ARN, OTHER_ARN, ARN + "\u00fc\u0007", null};
    String arn = arns[random.nextInt(arns.length)];
    boolean arnFirst = random.nextBoolean();
    if (arnFirst && arn != null) r.put("eventSourceARN", arn);
    if (random.nextInt(10) == 0) {
      r.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
    }
    if (random.nextInt(40) == 0) return r; // no dynamodb section
    Map<String, Object> ddb = new LinkedHashMap<>();
    switch (random.nextInt(5)) {
      case 0 -> ddb.put("ApproximateCreationDateTime", 1_767_225_600L + random.nextInt(100_000));
      case 1 ->
          ddb.put(
              "ApproximateCreationDateTime",
              1_767_225_600L + random.nextInt(100_000) + random.nextInt(1000) / 1000.0);
      case 2 ->
          ddb.put("ApproximateCreationDateTime", 1_767_225_600_000L + random.nextInt(100_000));
      case 3 -> ddb.put("ApproximateCreationDateTime", 1.7672256E9);
      default -> {}
    }
    Map<String, Object> image = image(random, 0);
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("id", Map.of("S", "id-" + sequence));
    image.put("id", keys.get("id"));
    ddb.put("Keys", keys);
    if (random.nextInt(4) != 0) ddb.put("NewImage", image);
    if (random.nextInt(3) == 0) ddb.put("OldImage", image(random, 0));
    if (random.nextInt(30) != 0) ddb.put("SequenceNumber", String.format("%021d", sequence));
    ddb.put("SizeBytes", 100 + random.nextInt(900));
    ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    r.put("dynamodb", ddb);
    if (!arnFirst && arn != null) r.put("eventSourceARN", arn);
    return r;
  }

  private static Map<String, Object> image(Random random, int depth) {
    Map<String, Object> image = new LinkedHashMap<>();
    int n = 1 + random.nextInt(depth == 0 ? 12 : 4);
    for (int i = 0; i < n; i++) image.put(TEXTS[random.nextInt(4)] + i, value(random, depth));
    return image;
  }

  private static Object value(Random random, int depth) {
    int kind = random.nextInt(depth < 2 ? 14 : 11);
    return switch (kind) {
      case 0, 1 -> Map.of("S", TEXTS[random.nextInt(TEXTS.length)]);
      case 2, 3 -> Map.of("N", NUMBERS[random.nextInt(NUMBERS.length)]);
      case 4 -> Map.of("B", base64(random));
      case 5 -> Map.of("BOOL", random.nextBoolean());
      case 6 -> Map.of("NULL", random.nextInt(8) != 0);
      case 7 -> Map.of("SS", List.of(TEXTS[random.nextInt(TEXTS.length)], "x" + random.nextInt(9)));
      case 8 ->
          Map.of(
              "NS",
              List.of(NUMBERS[random.nextInt(NUMBERS.length)], Integer.toString(random.nextInt())));
      case 9 -> Map.of("BS", List.of(base64(random), base64(random)));
      case 10 -> random.nextInt(4) == 0 ? Map.of() : Map.of("S", "fine");
      case 11 -> Map.of("M", image(random, depth + 1));
      case 12 -> Map.of("L", List.of(value(random, depth + 1), value(random, depth + 1)));
      default -> Map.of("SS", List.of());
    };
  }

  private static String base64(Random random) {
    byte[] bytes = new byte[random.nextInt(40)];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
