package dev.ddbwarehouse.local.dynamo;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local, in-process, in memory, on a free loopback port, with clients bound to it. Closing
 * it stops the server and the clients.
 */
public final class DynamoDbLocal implements AutoCloseable {

  /** DynamoDB Local accepts any credentials; the SDK only needs some to sign requests. */
  private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private final DynamoDBProxyServer server;
  private final URI endpoint;
  private final DynamoDbClient dynamoDb;
  private final DynamoDbStreamsClient streams;

  private DynamoDbLocal(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.dynamoDb =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(DUMMY_CREDENTIALS)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    this.streams =
        DynamoDbStreamsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(DUMMY_CREDENTIALS)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  /**
   * DynamoDB Local's bundled SDK v1 warns through java.util.logging, on every run, that JAXB is
   * missing; its own Base64 fallback is all a local run needs. Held here: JUL keeps loggers only
   * weakly, and a collected one would forget its level.
   */
  private static final Logger SDK_V1_BASE64 = Logger.getLogger("com.amazonaws.util.Base64");

  static {
    SDK_V1_BASE64.setLevel(Level.SEVERE);
  }

  /**
   * Ports tried before giving up. A free port is only free when asked: another process (an embedded
   * PostgreSQL, a parallel test, any client's ephemeral port) can take it before the server binds,
   * so a bind failure is retried on a fresh port rather than failing the run.
   */
  private static final int BIND_ATTEMPTS = 5;

  /** Starts a fresh in-memory server; needs the sqlite4java native library (see the module pom). */
  public static DynamoDbLocal start() {
    return start(DynamoDbLocal::freePort);
  }

  /** As {@link #start()}, taking each port to try from {@code ports}. */
  static DynamoDbLocal start(IntSupplier ports) {
    requireNativeLibrary();
    for (int attempt = 1; ; attempt++) {
      int port = ports.getAsInt();
      try {
        return new DynamoDbLocal(startServer(port), URI.create("http://127.0.0.1:" + port));
      } catch (Exception e) {
        if (attempt < BIND_ATTEMPTS && causedByBind(e)) {
          continue;
        }
        throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
      }
    }
  }

  private static DynamoDBProxyServer startServer(int port) throws Exception {
    // DynamoDB Local prints a nine-line banner of its settings on stdout, which the CLIs keep for
    // their results; everything in it is fixed here. A failure still throws.
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
      server.start();
      return server;
    } finally {
      System.setOut(stdout);
    }
  }

  private static boolean causedByBind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void requireNativeLibrary() {
    String dir = System.getProperty("sqlite4java.library.path");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      throw new IllegalStateException(
          "system property sqlite4java.library.path must name the folder holding the sqlite4java"
              + " native library (local-runtime/target/native-libs after a build), was: "
              + dir);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port for DynamoDB Local", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public DynamoDbStreamsClient streams() {
    return streams;
  }

  @Override
  public void close() {
    dynamoDb.close();
    streams.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
    }
  }
}
