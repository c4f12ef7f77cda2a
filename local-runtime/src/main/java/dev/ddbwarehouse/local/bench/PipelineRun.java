package dev.ddbwarehouse.local.bench;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.report.Percentiles;
import dev.ddbwarehouse.local.stream.LambdaEventParser;
import java.util.List;

/** Event JSON → Lambda's deserializer → handler → committed rows, timed per invocation. */
final class PipelineRun {

  /** {@code parseSeconds}: the share spent in Lambda's event deserializer, before the handler. */
  record Result(int records, double seconds, double parseSeconds, Percentiles batchNanos) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  private PipelineRun() {}

  static Result run(StreamHandler handler, List<byte[]> events, int records) {
    LambdaEventParser parser = new LambdaEventParser();
    Percentiles batchNanos = new Percentiles();
    long parseNanos = 0;
    long start = System.nanoTime();
    for (byte[] event : events) {
      long t0 = System.nanoTime();
      var parsed = parser.parse(event);
      parseNanos += System.nanoTime() - t0;
      StreamsEventResponse response = handler.handleRequest(parsed, null);
      batchNanos.add(System.nanoTime() - t0);
      if (!response.getBatchItemFailures().isEmpty()) {
        throw new IllegalStateException(
            "the handler reported a failed record during the benchmark");
      }
    }
    return new Result(records, (System.nanoTime() - start) / 1e9, parseNanos / 1e9, batchNanos);
  }
}
