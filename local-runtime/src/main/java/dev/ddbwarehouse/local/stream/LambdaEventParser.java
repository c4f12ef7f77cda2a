package dev.ddbwarehouse.local.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * Turns event JSON into a {@link DynamodbEvent} with the serializer the Lambda Java runtime uses.
 */
public final class LambdaEventParser {

  private final PojoSerializer<DynamodbEvent> serializer;

  public LambdaEventParser() {
    this.serializer =
        LambdaEventSerializers.serializerFor(
            DynamodbEvent.class, LambdaEventParser.class.getClassLoader());
  }

  public DynamodbEvent parse(byte[] json) {
    return serializer.fromJson(new ByteArrayInputStream(json));
  }

  public DynamodbEvent parse(InputStream json) {
    return serializer.fromJson(json);
  }
}
