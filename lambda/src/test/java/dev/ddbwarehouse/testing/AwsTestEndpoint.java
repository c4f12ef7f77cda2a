package dev.ddbwarehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * Where the configuration tests find Secrets Manager and SSM: LocalStack (Testcontainers) when a
 * Docker engine answers, else {@link AwsJsonProtocolStub}. Both are driven through the same calls.
 */
public interface AwsTestEndpoint extends AutoCloseable {

  String endpoint();

  AwsTestEndpoint secret(String id, String value);

  AwsTestEndpoint parameter(String name, String value);

  /** Makes reads of this secret fail with AccessDenied, where the endpoint can. */
  AwsTestEndpoint deny(String idOrName);

  boolean canDeny();

  /** How many times it was read, or -1 where the endpoint cannot tell. */
  int reads(String idOrName);

  String kind();

  @Override
  void close();

  /** Environment of a function configured against this endpoint. */
  default Map<String, String> environment(
      String hmacSecretId, String dbSecretId, String parameter) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL", endpoint());
    env.put("HMAC_SECRET_ID", hmacSecretId);
    env.put("DB_SECRET_ID", dbSecretId);
    env.put("CONFIG_PARAMETER", parameter);
    env.put("DB_SSL_MODE", "disable");
    return env;
  }

  static AwsTestEndpoint start() {
    if (!"true".equals(System.getenv("WAREHOUSE_TEST_NO_DOCKER")) && dockerAvailable()) {
      return LocalStackEndpoint.start();
    }
    try {
      return new AwsJsonProtocolStub();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
