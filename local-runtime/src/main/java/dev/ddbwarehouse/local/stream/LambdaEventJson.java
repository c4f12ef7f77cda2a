package dev.ddbwarehouse.local.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Renders DynamoDB Streams records (as GetRecords returns them) into the JSON a Lambda function
 * receives from its event source mapping: the same field names, attribute values in DynamoDB JSON,
 * {@code ApproximateCreationDateTime} in epoch seconds and the stream ARN added per record.
 */
public final class LambdaEventJson {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] PREFIX =
      "{\"Records\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private LambdaEventJson() {}

  /** The bytes an event of the given rendered records takes, without building it. */
  public static int eventSize(int recordsBytes, int recordCount) {
    return PREFIX.length + SUFFIX.length + recordsBytes + Math.max(0, recordCount - 1);
  }

  /** Joins rendered records into one event: {@code {"Records":[...]}}. */
  public static byte[] event(List<StreamRecordJson> records) {
    int bytes = 0;
    for (StreamRecordJson record : records) {
      bytes += record.json().length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(eventSize(bytes, records.size()));
    out.writeBytes(PREFIX);
    for (int i = 0; i < records.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(records.get(i).json());
    }
    out.writeBytes(SUFFIX);
    return out.toByteArray();
  }

  /** Renders one record of the given stream and shard. */
  public static StreamRecordJson render(Record record, String streamArn, String shardId) {
    StreamRecord change = record.dynamodb();
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      writeIfPresent(g, "eventID", record.eventID());
      writeIfPresent(g, "eventName", record.eventNameAsString());
      writeIfPresent(g, "eventVersion", record.eventVersion());
      writeIfPresent(g, "eventSource", record.eventSource());
      writeIfPresent(g, "awsRegion", record.awsRegion());
      g.writeObjectFieldStart("dynamodb");
      if (change.approximateCreationDateTime() != null) {
        g.writeNumberField(
            "ApproximateCreationDateTime", change.approximateCreationDateTime().getEpochSecond());
      }
      writeImage(g, "Keys", change.keys());
      writeImage(g, "NewImage", change.newImage());
      writeImage(g, "OldImage", change.oldImage());
      g.writeStringField("SequenceNumber", change.sequenceNumber());
      if (change.sizeBytes() != null) {
        g.writeNumberField("SizeBytes", change.sizeBytes());
      }
      writeIfPresent(g, "StreamViewType", change.streamViewTypeAsString());
      g.writeEndObject();
      g.writeStringField("eventSourceARN", streamArn);
      writeIdentity(g, record.userIdentity());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("could not render a stream record", e);
    }
    return new StreamRecordJson(
        shardId, change.sequenceNumber(), keyOf(change.keys()), out.toByteArray());
  }

  /** One item in DynamoDB JSON, as {@code aws dynamodb get-item} prints it; one line. */
  public static byte[] item(Map<String, AttributeValue> item) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeMap(g, item);
    } catch (IOException e) {
      throw new UncheckedIOException("could not render an item", e);
    }
    return out.toByteArray();
  }

  /** Key attribute values joined by '|', in attribute-name order. */
  static String keyOf(Map<String, AttributeValue> keys) {
    if (keys == null || keys.isEmpty()) {
      return "";
    }
    StringJoiner joined = new StringJoiner("|");
    keys.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> joined.add(scalar(e.getValue())));
    return joined.toString();
  }

  private static String scalar(AttributeValue value) {
    return switch (value.type()) {
      case S -> value.s();
      case N -> value.n();
      case B -> Base64.getEncoder().encodeToString(value.b().asByteArray());
      default -> throw new IllegalArgumentException("key attribute of type " + value.type());
    };
  }

  private static void writeIfPresent(JsonGenerator g, String field, String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static void writeIdentity(JsonGenerator g, Identity identity) throws IOException {
    if (identity == null) {
      return;
    }
    g.writeObjectFieldStart("userIdentity");
    writeIfPresent(g, "principalId", identity.principalId());
    writeIfPresent(g, "type", identity.type());
    g.writeEndObject();
  }

  private static void writeImage(JsonGenerator g, String field, Map<String, AttributeValue> image)
      throws IOException {
    // The SDK returns an "auto construct" empty map for an absent image; Lambda omits the field.
    if (image == null || image.isEmpty()) {
      return;
    }
    g.writeFieldName(field);
    writeMap(g, image);
  }

  private static void writeMap(JsonGenerator g, Map<String, AttributeValue> map)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, AttributeValue> entry : map.entrySet()) {
      g.writeFieldName(entry.getKey());
      writeValue(g, entry.getValue());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, AttributeValue value) throws IOException {
    g.writeStartObject();
    switch (value.type()) {
      case S -> g.writeStringField("S", value.s());
      case N -> g.writeStringField("N", value.n());
      case B -> g.writeStringField("B", base64(value.b()));
      case BOOL -> g.writeBooleanField("BOOL", value.bool());
      case NUL -> g.writeBooleanField("NULL", true);
      case SS -> writeStrings(g, "SS", value.ss());
      case NS -> writeStrings(g, "NS", value.ns());
      case BS -> {
        g.writeArrayFieldStart("BS");
        for (SdkBytes bytes : value.bs()) {
          g.writeString(base64(bytes));
        }
        g.writeEndArray();
      }
      case M -> {
        g.writeFieldName("M");
        writeMap(g, value.m());
      }
      case L -> {
        g.writeArrayFieldStart("L");
        for (AttributeValue element : value.l()) {
          writeValue(g, element);
        }
        g.writeEndArray();
      }
      default -> throw new IllegalArgumentException("unsupported attribute type " + value.type());
    }
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }
}
