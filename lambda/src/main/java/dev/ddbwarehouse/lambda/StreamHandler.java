package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.change.IncomingRecord;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.pipeline.BatchOutcome;
import java.util.List;
import java.util.Map;

/**
 * The Lambda entry point: DynamoDB stream batch in, partial-batch response out. A thin adapter: all
 * decisions are made by the core that {@link Pipeline} wires.
 */
public final class StreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

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

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    Pipeline pipeline = this.pipeline.forInvocation();
    pipeline.beginInvocation(
        context == null ? DEFAULT_REMAINING_MILLIS : context.getRemainingTimeInMillis());
    List<IncomingRecord> records = DynamodbEventMapper.map(event);
    BatchOutcome outcome = pipeline.process(records);
    return new StreamsEventResponse(
        outcome
            .firstNotCommitted()
            .map(seq -> List.of(new StreamsEventResponse.BatchItemFailure(seq)))
            .orElse(List.of()));
  }
}
