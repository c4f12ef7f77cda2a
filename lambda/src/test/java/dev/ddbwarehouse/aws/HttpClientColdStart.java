package dev.ddbwarehouse.aws;

import dev.ddbwarehouse.testing.AwsJsonProtocolStub;
import java.lang.management.ManagementFactory;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Measures what the HTTP client choice costs a cold start: from JVM start to one GetSecretValue and
 * one GetParameter answered (by a local protocol stub). Run in a fresh JVM per sample, e.g. {@code
 * scripts/bench.sh} or by hand: {@code java -cp <test classpath>
 * dev.ddbwarehouse.aws.HttpClientColdStart url-connection}.
 */
public final class HttpClientColdStart {

  private HttpClientColdStart() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "url-connection";
    try (AwsJsonProtocolStub stub = new AwsJsonProtocolStub()) {
      stub.secret("s", "{}").parameter("p", "{}");
      long start = System.nanoTime();
      SdkHttpClient http =
          kind.equals("apache") ? ApacheHttpClient.create() : UrlConnectionHttpClient.create();
      StaticCredentialsProvider credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLESTUB", "x"));
      URI endpoint = URI.create(stub.endpoint());
      try (SecretsManagerClient secrets =
              SecretsManagerClient.builder()
                  .region(Region.EU_WEST_1)
                  .httpClient(http)
                  .credentialsProvider(credentials)
                  .endpointOverride(endpoint)
                  .build();
          SsmClient ssm =
              SsmClient.builder()
                  .region(Region.EU_WEST_1)
                  .httpClient(http)
                  .credentialsProvider(credentials)
                  .endpointOverride(endpoint)
                  .build()) {
        secrets.getSecretValue(r -> r.secretId("s"));
        ssm.getParameter(r -> r.name("p"));
      }
      long clientsMs = (System.nanoTime() - start) / 1_000_000;
      long sinceJvmStart =
          System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.println(
          "http_client="
              + kind
              + " clients_and_two_calls_ms="
              + clientsMs
              + " since_jvm_start_ms="
              + sinceJvmStart);
    }
  }
}
