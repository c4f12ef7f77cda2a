package dev.ddbwarehouse.local.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Invokes the function as Lambda's Java runtime does: the event's bytes in, the response's bytes
 * out, read back with the runtime's serialiser as the event source mapping reads them.
 */
public final class HandlerInvocation {

  private static final PojoSerializer<StreamsEventResponse> RESPONSE =
      LambdaEventSerializers.serializerFor(
          StreamsEventResponse.class, HandlerInvocation.class.getClassLoader());

  private HandlerInvocation() {}

  public static StreamsEventResponse invoke(
      RequestStreamHandler handler, byte[] event, Context context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try {
      handler.handleRequest(new ByteArrayInputStream(event), out, context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RESPONSE.fromJson(new ByteArrayInputStream(out.toByteArray()));
  }
}
