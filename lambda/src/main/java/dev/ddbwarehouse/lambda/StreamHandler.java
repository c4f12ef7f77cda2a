package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ddbwarehouse.core.json.JsonValue;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The Lambda entry point: DynamoDB stream batch in, partial-batch response out. A thin adapter: all
 * decisions are made by the core that {@link Pipeline} wires.
 */
public final class StreamHandler implements RequestStreamHandler {

  /**
   * The time budget when a caller passes no context (Lambda always does): the template's default
   * function timeout.
   */
  static final long DEFAULT_REMAINING_MILLIS = 120_000;

  private final LivePipeline pipeline;

  // Held only to keep the hooks alive: CRaC references registered resources weakly.
  @SuppressWarnings("unused")
  private final SnapStartHooks snapStartHooks;

  /** For the Lambda runtime: configuration from the environment, read once at init. */
  public StreamHandler() {
    this(LivePipeline.fromEnvironment(System.getenv(), BatchObserver.NONE));
    pipeline.current().warmUpInBackground(System.getenv());
  }

  /** A fixed pipeline, never re-read (tests that wire their own). */
  StreamHandler(Pipeline pipeline) {
    this(LivePipeline.fixed(pipeline));
  }

  StreamHandler(LivePipeline pipeline) {
    this.pipeline = pipeline;
    this.snapStartHooks = SnapStartHooks.register(pipeline);
  }

  /** For local runs and tools: an explicit environment and an observer of every batch. */
  public static StreamHandler fromEnvironment(Map<String, String> env, BatchObserver observer) {
    StreamHandler handler = new StreamHandler(LivePipeline.fromEnvironment(env, observer));
    handler.pipeline.current().warmUpInBackground(env);
    return handler;
  }

  /**
   * Reads the event bytes itself (see {@link StreamEventReader}) and answers with the partial-batch
   * response Lambda expects, {@code {"batchItemFailures":[{"itemIdentifier":"<sequence>"}]}}.
   *
   * @throws dev.ddbwarehouse.core.pipeline.UnreadableEventException when the event is not a stream
   *     event: a function error, after which Lambda delivers the batch again
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    // Lambda's runtime hands over the payload in memory: read in place, from a mark to go back to
    // should the batch need the whole way. A copy (an 8 MB array for 10,000 records, outside the
    // young generation) only for a stream that cannot go back.
    InputStream event =
        input.markSupported() ? input : new ByteArrayInputStream(input.readAllBytes());
    event.mark(Integer.MAX_VALUE);
    Pipeline pipeline = this.pipeline.forInvocation();
    pipeline.beginInvocation(
        context == null ? DEFAULT_REMAINING_MILLIS : context.getRemainingTimeInMillis());
    BatchOutcome outcome = pipeline.process(event);
    writeResponse(outcome.firstNotCommitted().orElse(null), output);
  }

  /** {@code StreamsEventResponse} as JSON, written with jackson-core. */
  static void writeResponse(String firstNotCommitted, OutputStream output) throws IOException {
    try (JsonGenerator g = JsonValue.FACTORY.createGenerator(output)) {
      g.writeStartObject();
      g.writeArrayFieldStart("batchItemFailures");
      if (firstNotCommitted != null) {
        g.writeStartObject();
        g.writeStringField("itemIdentifier", firstNotCommitted);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
