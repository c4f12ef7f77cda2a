package dev.ddbwarehouse.testing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds DynamoDB Streams events in Lambda's wire format (JSON) and reads them back exactly as the
 * Lambda Java runtime does, with aws-lambda-java-serialization. Tests thereby go through the same
 * deserialisation path as production, not through hand-built event objects.
 */
public final class StreamEvents {

  public static final String STREAM_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PojoSerializer<DynamodbEvent> SERIALIZER =
      LambdaEventSerializers.serializerFor(
          DynamodbEvent.class, StreamEvents.class.getClassLoader());

  private final List<Map<String, Object>> records = new ArrayList<>();
  private long nextSequence;
  private final String streamArn;

  private StreamEvents(long firstSequence, String streamArn) {
    this.nextSequence = firstSequence;
    this.streamArn = streamArn;
  }

  public static StreamEvents startingAt(long firstSequence) {
    return new StreamEvents(firstSequence, STREAM_ARN);
  }

  public static StreamEvents startingAt(long firstSequence, String streamArn) {
    return new StreamEvents(firstSequence, streamArn);
  }

  public StreamEvents insert(TransactionItem item) {
    return add("INSERT", item.keys(), item.attributes(), null, false);
  }

  public StreamEvents modify(TransactionItem before, TransactionItem after) {
    return add("MODIFY", after.keys(), after.attributes(), before.attributes(), false);
  }

  public StreamEvents remove(TransactionItem before) {
    return add("REMOVE", before.keys(), null, before.attributes(), false);
  }

  /** A REMOVE as a NEW_IMAGE or KEYS_ONLY stream delivers it: the keys, no image. */
  public StreamEvents removeKeysOnly(TransactionItem before) {
    return add("REMOVE", before.keys(), null, null, false);
  }

  public StreamEvents ttlRemove(TransactionItem before) {
    return add("REMOVE", before.keys(), null, before.attributes(), true);
  }

  /** A record with raw DynamoDB-JSON images, for malformed input. */
  public StreamEvents add(
      String eventName,
      Map<String, Object> keys,
      Map<String, Object> newImage,
      Map<String, Object> oldImage,
      boolean ttl) {
    long seq = nextSequence++;
    Map<String, Object> ddb = new LinkedHashMap<>();
    ddb.put("ApproximateCreationDateTime", approximateCreation(seq).getEpochSecond());
    ddb.put("Keys", keys);
    if (newImage != null) ddb.put("NewImage", newImage);
    if (oldImage != null) ddb.put("OldImage", oldImage);
    ddb.put("SequenceNumber", String.format("%021d", seq));
    ddb.put("SizeBytes", 100);
    ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("eventID", "event-" + seq);
    r.put("eventName", eventName);
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put("awsRegion", "eu-west-1");
    r.put("dynamodb", ddb);
    r.put("eventSourceARN", streamArn);
    if (ttl)
      r.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
    records.add(r);
    return this;
  }

  /** A JSON null where a record belongs ({@code "Records":[null]}). */
  public StreamEvents nullRecord() {
    records.add(null);
    return this;
  }

  /** Overrides a top-level field of the last record added (eventID, eventSourceARN, ...). */
  public StreamEvents withField(String field, Object value) {
    records.get(records.size() - 1).put(field, value);
    return this;
  }

  /** Overrides (or, with null, removes) a field of the last record's dynamodb section. */
  public StreamEvents withStreamRecordField(String field, Object value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> ddb = (Map<String, Object>) records.get(records.size() - 1).get("dynamodb");
    if (value == null) ddb.remove(field);
    else ddb.put(field, value);
    return this;
  }

  /** Removes a top-level field of the last record (dynamodb, eventName, ...). */
  public StreamEvents withoutField(String field) {
    records.get(records.size() - 1).remove(field);
    return this;
  }

  /** The last record once more, verbatim (a redelivered record, same sequence number). */
  public StreamEvents repeatLast() {
    records.add(records.get(records.size() - 1));
    return this;
  }

  /** The ApproximateCreationDateTime (whole seconds) of the record with this sequence number. */
  public static Instant approximateCreation(long seq) {
    return Instant.ofEpochSecond(1_767_225_600L + seq % 1000);
  }

  public static String sequence(long seq) {
    return String.format("%021d", seq);
  }

  public String json() {
    try {
      return escapeLoneSurrogates(JSON.writeValueAsString(Map.of("Records", records)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Jackson writes a lone surrogate as the raw char, which UTF-8 encoding would turn into '?'; as a
   * JSON escape it reaches the deserialiser as the lone surrogate the test put in.
   */
  private static String escapeLoneSurrogates(String json) {
    StringBuilder out = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < json.length()
          && Character.isLowSurrogate(json.charAt(i + 1))) {
        out.append(c).append(json.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The event as Lambda delivers it to the function: JSON, UTF-8. */
  public byte[] bytes() {
    return json().getBytes(StandardCharsets.UTF_8);
  }

  public DynamodbEvent event() {
    return parse(new ByteArrayInputStream(json().getBytes(StandardCharsets.UTF_8)));
  }

  public static DynamodbEvent parse(InputStream json) {
    return SERIALIZER.fromJson(json);
  }

  public static DynamodbEvent parse(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
