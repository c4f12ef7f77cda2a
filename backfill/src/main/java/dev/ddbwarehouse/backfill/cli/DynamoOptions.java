package dev.ddbwarehouse.backfill.cli;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import java.net.URI;
import java.util.Set;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Where DynamoDB is: real AWS (default credentials chain and region) or DynamoDB Local. */
public final class DynamoOptions {

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "DynamoDB endpoint, e.g. http://localhost:8000 for DynamoDB Local.")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = {
        "AWS region (default: AWS_REGION, else the profile's region).",
        "With a local --endpoint-url: us-east-1."
      })
  String region;

  public DynamoDbClient client() {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (isLocal()) {
      // DynamoDB Local accepts any credentials; the SDK only needs some to sign with.
      builder.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      builder.region(Region.of(region == null ? "us-east-1" : region));
    } else {
      builder.region(region != null ? Region.of(region) : configuredRegion());
      builder.credentialsProvider(credentials());
    }
    return builder.build();
  }

  /**
   * The SDK's own region chain (AWS_REGION, the profile, the instance), asked here so that a
   * missing region is one plain line rather than the chain's list of providers.
   */
  private static Region configuredRegion() {
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new CliFailure(ExitCode.USAGE, Failures.NO_REGION, e);
    }
  }

  /** The default chain, resolved once now (it caches) so that no credentials is one plain line. */
  private static AwsCredentialsProvider credentials() {
    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
    try {
      chain.resolveCredentials();
    } catch (SdkClientException e) {
      throw CliFailure.unreachable(Failures.NO_CREDENTIALS, e);
    }
    return chain;
  }

  public boolean isLocal() {
    return endpoint != null && endpoint.getHost() != null && LOOPBACK.contains(endpoint.getHost());
  }

  /** The region to hand to the AWS CLI, if one was named. */
  public String region() {
    return region;
  }
}
