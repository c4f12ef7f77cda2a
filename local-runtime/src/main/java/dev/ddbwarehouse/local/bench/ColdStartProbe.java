package dev.ddbwarehouse.local.bench;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.local.pipeline.HandlerInvocation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by the benchmark: builds the handler from the environment as Lambda's init
 * does, handles one 1-record event file and prints {@code COMMITTED} once the row is committed.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    PrintStream stdout = System.out;
    System.setOut(System.err); // the handler's logs; stdout carries only the signal
    StreamHandler handler = StreamHandler.fromEnvironment(System.getenv(), BatchObserver.NONE);
    StreamsEventResponse response =
        HandlerInvocation.invoke(handler, Files.readAllBytes(Path.of(args[0])), null);
    stdout.println(response.getBatchItemFailures().isEmpty() ? "COMMITTED" : "FAILED");
    stdout.flush();
    System.exit(0);
  }
}
