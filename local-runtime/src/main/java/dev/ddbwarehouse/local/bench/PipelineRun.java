package dev.ddbwarehouse.local.bench;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.pipeline.HandlerInvocation;
import dev.ddbwarehouse.local.report.Percentiles;
import java.util.List;

/** Event JSON → handler (which reads it itself) → committed rows, timed per invocation. */
final class PipelineRun {

  /** {@code batchNanos}: per invocation, event bytes in to response out. */
  record Result(int records, double seconds, Percentiles batchNanos) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  private PipelineRun() {}

  static Result run(StreamHandler handler, List<byte[]> events, int records) {
    Percentiles batchNanos = new Percentiles();
    long start = System.nanoTime();
    for (byte[] event : events) {
      long t0 = System.nanoTime();
      StreamsEventResponse response = HandlerInvocation.invoke(handler, event, null);
      batchNanos.add(System.nanoTime() - t0);
      if (!response.getBatchItemFailures().isEmpty()) {
        throw new IllegalStateException(
            "the handler reported a failed record during the benchmark");
      }
    }
    return new Result(records, (System.nanoTime() - start) / 1e9, batchNanos);
  }
}
