package dev.ddbwarehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbwarehouse.testing.AwsJsonProtocolStub;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifact itself, loaded alone in its own class loader as the Lambda runtime loads
 * it (with the runtime's event serialiser beside it): it must hold what the function needs, even
 * though the build trims the AWS SDK, and nothing it must not.
 */
class ShadedJarIT {

  private static final Path JAR = Path.of("target/ddb-warehouse-lambda.jar");

  private static URLClassLoader function;

  @BeforeAll
  static void load() throws Exception {
    assertThat(JAR).as("built by the package phase").isRegularFile();
    function =
        new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void close() throws Exception {
    function.close();
  }

  @Test
  void holdsNoMigrationTestOrLocalRuntimeCode() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names)
          .contains("dev/ddbwarehouse/lambda/StreamHandler.class")
          .as("the erasure function's handler, same jar")
          .contains("dev/ddbwarehouse/lambda/ErasureHandler.class")
          .as("the phone-e164 normaliser's numbering plans")
          .anyMatch(n -> n.startsWith("com/google/i18n/phonenumbers/"));
      assertThat(names)
          .as("the PII scanner stays out of the function")
          .noneMatch(n -> n.startsWith("dev/ddbwarehouse/privacyscan/"))
          .noneMatch(n -> n.startsWith("org/iban4j/"));
      assertThat(names)
          .noneMatch(n -> n.startsWith("org/flywaydb/"))
          .noneMatch(n -> n.startsWith("db/migration/"))
          .noneMatch(n -> n.startsWith("io/zonky/"))
          .noneMatch(n -> n.startsWith("com/amazonaws/services/dynamodbv2/"))
          .noneMatch(n -> n.startsWith("org/junit/") || n.startsWith("org/assertj/"))
          .noneMatch(
              n ->
                  n.startsWith("dev/ddbwarehouse/testsupport/")
                      || n.startsWith("dev/ddbwarehouse/local/"))
          .as("Jackson databind: a quarter second of cold start, replaced by core.json")
          .noneMatch(n -> n.startsWith("com/fasterxml/jackson/databind/"));
    }
    // 15 MB read strictly (decimal), the smaller of the two readings.
    assertThat(Files.size(JAR)).as("jar size target").isLessThanOrEqualTo(15_000_000L);
  }

  @Test
  void readsItsConfigurationThroughTheTrimmedSdk() throws Exception {
    try (AwsJsonProtocolStub aws = new AwsJsonProtocolStub()) {
      aws.secret("hmac", TestKeys.SECRET_JSON).parameter("/cfg", "{}");
      Class<?> source = function.loadClass("dev.ddbwarehouse.aws.AwsConfigSource");
      Object client =
          source
              .getMethod("fromEnvironment", Map.class)
              .invoke(null, aws.environment("hmac", "db", "/cfg"));

      assertThat(source.getMethod("secret", String.class).invoke(client, "hmac"))
          .isEqualTo(TestKeys.SECRET_JSON);
      assertThat(source.getMethod("parameter", String.class).invoke(client, "/cfg"))
          .isEqualTo("{}");
      assertThat(
              failure(() -> source.getMethod("parameter", String.class).invoke(client, "/missing")))
          .isEqualTo("parameter /missing does not exist");
      assertThat(failure(() -> source.getMethod("secret", String.class).invoke(client, "missing")))
          .isEqualTo("secret missing does not exist");
    }
  }

  @Test
  void buildsItsClientsAndResolvesRealEndpointsWithoutAnOverride() throws Exception {
    // The build drops the SDK's per-service region metadata; clients built for real AWS (no
    // endpoint override) must still build and resolve their endpoint through endpoint rules.
    Map<String, String> env =
        Map.of(
            "AWS_REGION",
            "eu-west-1",
            "AWS_ACCESS_KEY_ID",
            "AKIDEXAMPLESTUB",
            "AWS_SECRET_ACCESS_KEY",
            "x");
    Object client =
        function
            .loadClass("dev.ddbwarehouse.aws.AwsConfigSource")
            .getMethod("fromEnvironment", Map.class)
            .invoke(null, env);
    assertThat(client).isNotNull();

    Class<?> region = function.loadClass("software.amazon.awssdk.regions.Region");
    Object euWest1 = region.getMethod("of", String.class).invoke(null, "eu-west-1");
    for (String service : List.of("ssm.endpoints.Ssm", "secretsmanager.endpoints.SecretsManager")) {
      String pkg = "software.amazon.awssdk.services." + service;
      Class<?> paramsClass = function.loadClass(pkg + "EndpointParams");
      Class<?> builderClass = function.loadClass(pkg + "EndpointParams$Builder");
      Object params = paramsClass.getMethod("builder").invoke(null);
      builderClass.getMethod("region", region).invoke(params, euWest1);
      Object built = builderClass.getMethod("build").invoke(params);
      Class<?> providerClass = function.loadClass(pkg + "EndpointProvider");
      Object provider = providerClass.getMethod("defaultProvider").invoke(null);
      Object future =
          providerClass.getMethod("resolveEndpoint", paramsClass).invoke(provider, built);
      Object endpoint = ((java.util.concurrent.CompletableFuture<?>) future).join();
      Object url =
          function
              .loadClass("software.amazon.awssdk.endpoints.Endpoint")
              .getMethod("url")
              .invoke(endpoint);
      assertThat(url.toString()).startsWith("https://").endsWith(".eu-west-1.amazonaws.com");
    }
  }

  /**
   * As Lambda's Java runtime runs a handler that implements RequestStreamHandler: the event's bytes
   * in, the response's bytes out, no serialiser and no event model (the jar has none).
   */
  @Test
  void handlesARealEventEndToEnd() throws Exception {
    TestWarehouse db = TestWarehouse.shared();
    db.truncateAll();
    assertThatThrownBy(
            () -> function.loadClass("com.amazonaws.services.lambda.runtime.events.DynamodbEvent"))
        .isInstanceOf(ClassNotFoundException.class);
    Class<?> handlerClass = function.loadClass("dev.ddbwarehouse.lambda.StreamHandler");
    Class<?> streamHandler =
        function.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
    assertThat(streamHandler.isAssignableFrom(handlerClass)).isTrue();
    Class<?> observerClass = function.loadClass("dev.ddbwarehouse.core.pipeline.BatchObserver");
    Object observer =
        Proxy.newProxyInstance(function, new Class<?>[] {observerClass}, (p, m, a) -> null);
    Object handler =
        handlerClass
            .getMethod("fromEnvironment", Map.class, observerClass)
            .invoke(null, TestKeys.environment(db.writerEnvironment()), observer);
    Method handle =
        streamHandler.getMethod(
            "handleRequest",
            InputStream.class,
            java.io.OutputStream.class,
            function.loadClass("com.amazonaws.services.lambda.runtime.Context"));
    byte[] event = StreamEvents.startingAt(1).insert(TransactionItem.of("jar-1")).bytes();
    java.io.ByteArrayOutputStream response = new java.io.ByteArrayOutputStream();

    handle.invoke(handler, new ByteArrayInputStream(event), response, null);

    assertThat(response.toString(StandardCharsets.UTF_8)).isEqualTo("{\"batchItemFailures\":[]}");
    try (Connection c = db.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM bi.transactions WHERE transaction_id = 'jar-1'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static String failure(Call call) throws Exception {
    try {
      call.run();
      throw new AssertionError("expected a failure");
    } catch (InvocationTargetException e) {
      return e.getCause().getMessage();
    }
  }
}
