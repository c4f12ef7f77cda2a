package dev.ddbwarehouse.local.bench;

import dev.ddbwarehouse.lambda.StreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cold-start probe for the deployment artifact, standing in for the Lambda runtime's bootstrap:
 * run on a classpath of only the shaded Lambda jar and this one class, it does what the runtime
 * does for a RequestStreamHandler (handler through its no-arg constructor, the event's bytes in,
 * the response's bytes out) and prints {@code COMMITTED} once the 1-record batch is committed.
 *
 * <p>It may use nothing but the JDK and the Lambda jar: {@link ColdStart} copies this class file
 * alone onto the probe's classpath. Hence no lambdas or nested classes here.
 */
public final class LambdaJarProbe {

  private LambdaJarProbe() {}

  public static void main(String[] args) throws Exception {
    PrintStream signal = System.out;
    System.setOut(System.err); // the handler's logs; stdout carries only the signal
    StreamHandler handler = new StreamHandler();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    try (InputStream event = Files.newInputStream(Path.of(args[0]))) {
      handler.handleRequest(event, response, null);
    }
    boolean committed =
        response.toString(StandardCharsets.UTF_8).equals("{\"batchItemFailures\":[]}");
    signal.println(committed ? "COMMITTED" : "FAILED");
    signal.flush();
    System.exit(0);
  }
}
