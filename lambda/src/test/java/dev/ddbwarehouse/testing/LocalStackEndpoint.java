package dev.ddbwarehouse.testing;

import java.net.URI;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** LocalStack's Secrets Manager and SSM, for machines with a Docker engine. */
final class LocalStackEndpoint implements AwsTestEndpoint {

  private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.0");

  private final LocalStackContainer container;
  private final SecretsManagerClient secrets;
  private final SsmClient ssm;

  private LocalStackEndpoint(LocalStackContainer container) {
    this.container = container;
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    URI endpoint = URI.create(endpoint());
    this.secrets =
        SecretsManagerClient.builder()
            .region(Region.EU_WEST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    this.ssm =
        SsmClient.builder()
            .region(Region.EU_WEST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @SuppressWarnings("resource") // closed by close()
  static LocalStackEndpoint start() {
    LocalStackContainer container =
        new LocalStackContainer(IMAGE)
            .withServices(
                LocalStackContainer.Service.SECRETSMANAGER, LocalStackContainer.Service.SSM);
    container.start();
    return new LocalStackEndpoint(container);
  }

  @Override
  public String endpoint() {
    return container.getEndpoint().toString();
  }

  @Override
  public AwsTestEndpoint secret(String id, String value) {
    try {
      secrets.putSecretValue(r -> r.secretId(id).secretString(value));
    } catch (ResourceNotFoundException e) {
      secrets.createSecret(r -> r.name(id).secretString(value));
    }
    return this;
  }

  @Override
  public AwsTestEndpoint parameter(String name, String value) {
    ssm.putParameter(r -> r.name(name).value(value).type(ParameterType.STRING).overwrite(true));
    return this;
  }

  @Override
  public AwsTestEndpoint deny(String idOrName) {
    throw new UnsupportedOperationException("LocalStack does not enforce IAM by default");
  }

  @Override
  public boolean canDeny() {
    return false;
  }

  @Override
  public int reads(String idOrName) {
    return -1;
  }

  @Override
  public String kind() {
    return "localstack";
  }

  @Override
  public void close() {
    secrets.close();
    ssm.close();
    container.stop();
  }
}
