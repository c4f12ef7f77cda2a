package dev.ddbwarehouse.aws;

import dev.ddbwarehouse.config.ConfigSource;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Secrets Manager and SSM Parameter Store through the AWS SDK v2, on the URLConnection HTTP client:
 * two calls per execution environment do not justify a pooled client's start-up cost.
 *
 * <p>Reads the standard variables from the environment map it is given: {@code AWS_REGION}, the
 * credentials Lambda provides ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}) and {@code AWS_ENDPOINT_URL} (LocalStack, tests).
 */
public final class AwsConfigSource implements ConfigSource, AutoCloseable {

  private final SecretsManagerClient secrets;
  private final SsmClient ssm;

  private AwsConfigSource(SecretsManagerClient secrets, SsmClient ssm) {
    this.secrets = secrets;
    this.ssm = ssm;
  }

  public static AwsConfigSource fromEnvironment(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      throw new InvalidConfigurationException(
          "AWS_REGION is required to read the configuration from AWS");
    }
    SdkHttpClient http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(10))
            .build();
    AwsCredentialsProvider credentials = credentials(env);
    String endpoint = env.get("AWS_ENDPOINT_URL");
    var secretsBuilder =
        SecretsManagerClient.builder()
            .region(Region.of(region))
            .httpClient(http)
            .credentialsProvider(credentials);
    var ssmBuilder =
        SsmClient.builder()
            .region(Region.of(region))
            .httpClient(http)
            .credentialsProvider(credentials);
    if (endpoint != null && !endpoint.isBlank()) {
      secretsBuilder.endpointOverride(URI.create(endpoint));
      ssmBuilder.endpointOverride(URI.create(endpoint));
    }
    return new AwsConfigSource(secretsBuilder.build(), ssmBuilder.build());
  }

  /** Lambda puts the role's session credentials in the environment; elsewhere the default chain. */
  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id == null || secret == null) return DefaultCredentialsProvider.builder().build();
    String token = env.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        token == null
            ? software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(id, secret)
            : AwsSessionCredentials.create(id, secret, token));
  }

  @Override
  public String secret(String id) {
    return secretVersioned(id).value();
  }

  @Override
  public Versioned secretVersioned(String id) {
    GetSecretValueResponse response;
    try {
      response = secrets.getSecretValue(r -> r.secretId(id));
    } catch (SdkException e) {
      throw failure("secret " + id, "secretsmanager:GetSecretValue", e);
    }
    if (response.secretString() == null) {
      throw new InvalidConfigurationException(
          "secret " + id + " has no SecretString (binary secrets are not supported)");
    }
    return new Versioned(
        response.secretString(),
        response.versionId() != null
            ? response.versionId()
            : ConfigSource.digest(response.secretString()));
  }

  @Override
  public String parameter(String name) {
    return parameterVersioned(name).value();
  }

  @Override
  public Versioned parameterVersioned(String name) {
    try {
      var p = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter();
      return new Versioned(
          p.value(),
          p.version() != null ? Long.toString(p.version()) : ConfigSource.digest(p.value()));
    } catch (SdkException e) {
      throw failure("parameter " + name, "ssm:GetParameter", e);
    }
  }

  /** Names what failed and how, from the service's error code; never a response body. */
  private static InvalidConfigurationException failure(String what, String action, SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      if ("ResourceNotFoundException".equals(code) || "ParameterNotFound".equals(code)) {
        return new InvalidConfigurationException(what + " does not exist");
      }
      if ("AccessDeniedException".equals(code) || "AccessDenied".equals(code)) {
        return new InvalidConfigurationException(
            what + ": access denied; the function's role needs " + action + " on it");
      }
      return new InvalidConfigurationException(
          what + " could not be read (" + code + ", HTTP " + service.statusCode() + ")");
    }
    return new InvalidConfigurationException(
        what + " could not be read (" + e.getClass().getSimpleName() + ")");
  }

  @Override
  public void close() {
    secrets.close();
    ssm.close();
  }
}
