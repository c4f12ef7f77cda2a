package dev.ddbwarehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol stub, not AWS: an HTTP endpoint on loopback that answers the two AWS JSON-protocol
 * calls the function makes (Secrets Manager GetSecretValue, SSM GetParameter) the way the services
 * do, so the real SDK v2 clients, serialisers and error mapping run against it. Where Docker runs,
 * LocalStack plays this part in docker-compose.tests.yml.
 */
public final class AwsJsonProtocolStub implements AwsTestEndpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, String> parameters = new ConcurrentHashMap<>();
  private final Set<String> denied = new CopyOnWriteArraySet<>();
  private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

  /** Every write is a new version, as in the services (VersionId, Parameter.Version). */
  private final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();

  public AwsJsonProtocolStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public AwsJsonProtocolStub secret(String id, String value) {
    secrets.put(id, value);
    versions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return this;
  }

  @Override
  public AwsJsonProtocolStub parameter(String name, String value) {
    parameters.put(name, value);
    versions.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    return this;
  }

  @Override
  public AwsJsonProtocolStub deny(String idOrName) {
    denied.add(idOrName);
    return this;
  }

  @Override
  public boolean canDeny() {
    return true;
  }

  @Override
  public String kind() {
    return "protocol-stub";
  }

  /** How many times a secret or parameter was read. */
  @Override
  public int reads(String idOrName) {
    return reads.getOrDefault(idOrName, new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      if ("secretsmanager.GetSecretValue".equals(target)) {
        String id = body.path("SecretId").asText();
        answer(
            exchange,
            id,
            secrets.get(id),
            "ResourceNotFoundException",
            value ->
                Map.of(
                    "ARN",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + id,
                    "Name",
                    id,
                    "SecretString",
                    value,
                    "VersionId",
                    "version-" + versions.get(id)));
      } else if ("AmazonSSM.GetParameter".equals(target)) {
        String name = body.path("Name").asText();
        answer(
            exchange,
            name,
            parameters.get(name),
            "ParameterNotFound",
            value ->
                Map.of(
                    "Parameter",
                    Map.of(
                        "Name",
                        name,
                        "Type",
                        "String",
                        "Value",
                        value,
                        "Version",
                        versions.get(name).get())));
      } else {
        send(
            exchange,
            400,
            Map.of(
                "__type",
                "UnknownOperationException",
                "message",
                "stub does not answer " + target));
      }
    }
  }

  private void answer(
      HttpExchange exchange,
      String key,
      String value,
      String notFound,
      java.util.function.Function<String, Object> body)
      throws IOException {
    reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (denied.contains(key)) {
      send(exchange, 400, Map.of("__type", "AccessDeniedException", "message", "not authorized"));
    } else if (value == null) {
      send(exchange, 400, Map.of("__type", notFound, "message", "not found"));
    } else {
      send(exchange, 200, body.apply(value));
    }
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
