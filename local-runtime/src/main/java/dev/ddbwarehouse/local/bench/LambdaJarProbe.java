package dev.ddbwarehouse.local.bench;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ddbwarehouse.lambda.StreamHandler;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cold-start probe for the deployment artifact, standing in for the Lambda runtime's bootstrap:
 * run on a classpath of only the shaded Lambda jar, the runtime's serialiser and this one class, it
 * does what the runtime does (handler through its no-arg constructor, event through the runtime's
 * serialiser) and prints {@code COMMITTED} once the 1-record batch is committed.
 *
 * <p>It may use nothing but the JDK, the Lambda jar and the serialiser: {@link ColdStart} copies
 * this class file alone onto the probe's classpath. Hence no lambdas or nested classes here.
 */
public final class LambdaJarProbe {

  private LambdaJarProbe() {}

  public static void main(String[] args) throws Exception {
    PrintStream signal = System.out;
    System.setOut(System.err); // the handler's logs; stdout carries only the signal
    StreamHandler handler = new StreamHandler();
    PojoSerializer<DynamodbEvent> serializer =
        LambdaEventSerializers.serializerFor(
            DynamodbEvent.class, LambdaJarProbe.class.getClassLoader());
    StreamsEventResponse response;
    try (InputStream event = Files.newInputStream(Path.of(args[0]))) {
      response = handler.handleRequest(serializer.fromJson(event), null);
    }
    signal.println(response.getBatchItemFailures().isEmpty() ? "COMMITTED" : "FAILED");
    signal.flush();
    System.exit(0);
  }
}
