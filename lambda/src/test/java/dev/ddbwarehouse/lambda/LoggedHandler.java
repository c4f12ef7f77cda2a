package dev.ddbwarehouse.lambda;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real handler, wired as in Lambda, whose log lines (JSON and EMF) are captured instead of
 * printed, so tests can assert what an operator would see in CloudWatch.
 */
final class LoggedHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final StreamHandler handler;

  LoggedHandler(Map<String, String> database, String functionName) {
    Map<String, String> env = TestKeys.environment(database);
    EtlConfig config =
        EtlConfig.fromEnv(
            env,
            () -> {
              throw new AssertionError("a local configuration reads no AWS source");
            });
    PrintStream logs = new PrintStream(captured, true, StandardCharsets.UTF_8);
    handler = new StreamHandler(Pipeline.wire(config, BatchObserver.NONE, functionName, logs));
  }

  StreamsEventResponse run(StreamEvents events, Duration remaining) {
    return Invocations.invoke(handler, events, LocalContext.startingNow(remaining));
  }

  /** Every line printed so far. */
  String output() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Every line printed so far, parsed as JSON objects. */
  List<Map<String, Object>> lines() {
    return output().lines().map(LoggedHandler::parse).toList();
  }

  private static Map<String, Object> parse(String line) {
    try {
      return JSON.readValue(line, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new AssertionError("a log line that is not one JSON object: " + line, e);
    }
  }

  /** Failed sequence numbers of a response. */
  static List<String> failures(StreamsEventResponse response) {
    return response.getBatchItemFailures().stream()
        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }
}
