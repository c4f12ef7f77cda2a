package dev.ddbwarehouse.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Invokes a stream handler as the Lambda runtime does: the event's JSON bytes in, the response's
 * JSON bytes out, read back as the {@link StreamsEventResponse} Lambda would see.
 */
public final class Invocations {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Invocations() {}

  public static StreamsEventResponse invoke(
      RequestStreamHandler handler, StreamEvents events, Context context) {
    return invoke(handler, events.bytes(), context);
  }

  public static StreamsEventResponse invoke(
      RequestStreamHandler handler, Path eventFile, Context context) {
    try {
      return invoke(handler, Files.readAllBytes(eventFile), context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static StreamsEventResponse invoke(
      RequestStreamHandler handler, byte[] event, Context context) {
    return invoke(handler, new ByteArrayInputStream(event), context);
  }

  public static StreamsEventResponse invoke(
      RequestStreamHandler handler, InputStream event, Context context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(event, out, context);
      return JSON.readValue(out.toByteArray(), StreamsEventResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
