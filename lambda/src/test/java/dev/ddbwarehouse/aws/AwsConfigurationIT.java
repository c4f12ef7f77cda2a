package dev.ddbwarehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbwarehouse.config.EtlConfig;
import dev.ddbwarehouse.core.InvalidConfigurationException;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.core.policy.TtlDeletes;
import dev.ddbwarehouse.lambda.StreamHandler;
import dev.ddbwarehouse.testing.AwsTestEndpoint;
import dev.ddbwarehouse.testing.Invocations;
import dev.ddbwarehouse.testing.StreamEvents;
import dev.ddbwarehouse.testing.TestKeys;
import dev.ddbwarehouse.testing.TransactionItem;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configuration read through the real AWS SDK v2 clients from LocalStack when a Docker engine
 * answers, else from an endpoint that speaks the Secrets Manager and SSM JSON protocol ({@link
 * dev.ddbwarehouse.testing.AwsJsonProtocolStub}); see {@link AwsTestEndpoint}.
 */
class AwsConfigurationIT {

  private static final String HMAC = "prod/etl/hmac";
  private static final String DB = "prod/etl/db";
  private static final String PARAM = "/ddb-warehouse/prod/config";

  private AwsTestEndpoint aws;

  @BeforeEach
  void start() throws Exception {
    aws = AwsTestEndpoint.start();
    aws.secret(HMAC, TestKeys.SECRET_JSON)
        .secret(
            DB,
            "{\"engine\":\"postgres\",\"host\":\"db.internal\",\"port\":5432,\"dbname\":\"warehouse\",\"username\":\"etl\",\"password\":\"pw-1\"}")
        .parameter(PARAM, "{\"ttlDeletes\":\"soft-delete\"}");
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private EtlConfig load(Map<String, String> env) {
    return EtlConfig.fromEnv(env, () -> AwsConfigSource.fromEnvironment(env));
  }

  @Test
  void readsKeysPolicyAndDatabaseSecretThroughTheSdk() {
    EtlConfig config = load(aws.environment(HMAC, DB, PARAM));

    assertThat(config.keys().activeVersion()).isEqualTo("v1");
    assertThat(config.mapping().tables().get(0).ttlDeletes()).isEqualTo(TtlDeletes.SOFT_DELETE);
    assertThat(config.database().current().jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:5432/warehouse");
    assertThat(config.database().current().user()).isEqualTo("etl");
    assertThat(config.database().current().toString()).doesNotContain("pw-1");
    if (aws.reads(HMAC) >= 0) {
      assertThat(aws.reads(HMAC)).as("read once per execution environment").isEqualTo(1);
      assertThat(aws.reads(PARAM)).isEqualTo(1);
    }
  }

  @Test
  void aMissingSecretNamesTheKeyAndTheSecret() {
    assertThatThrownBy(() -> load(aws.environment("prod/etl/nope", DB, PARAM)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("HMAC_SECRET_ID: secret prod/etl/nope does not exist");
  }

  @Test
  void aMissingParameterNamesTheKey() {
    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, "/nope")))
        .hasMessage("CONFIG_PARAMETER: parameter /nope does not exist");
  }

  @Test
  void accessDeniedSaysWhichPermissionIsMissing() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        aws.canDeny(), "this endpoint does not enforce IAM");
    aws.deny(DB);

    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, PARAM)))
        .hasMessage(
            "DB_SECRET_ID: secret prod/etl/db: access denied; the function's role needs secretsmanager:GetSecretValue on it");
  }

  @Test
  void malformedSecretsFailWithoutQuotingThem() {
    aws.secret(HMAC, "{\"active\":\"v1\",\"keys\":{\"v1\":\"pw-secret-material\"");
    aws.secret(DB, "host=db.internal password=pw-secret-material");

    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, PARAM)))
        .hasMessageContaining(HMAC + " (HMAC_SECRET_ID) is not valid JSON")
        .hasMessageNotContaining("pw-secret-material");
    aws.secret(HMAC, TestKeys.SECRET_JSON);
    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, PARAM)))
        .hasMessageContaining("database secret " + DB + " (DB_SECRET_ID) is not valid JSON")
        .hasMessageNotContaining("pw-secret-material");
  }

  @Test
  void aShortKeyIsRefusedAtStartUp() {
    aws.secret(
        HMAC,
        "{\"active\":\"v1\",\"keys\":{\"v1\":\""
            + Base64.getEncoder().encodeToString(new byte[16])
            + "\"}}");

    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, PARAM)))
        .hasMessageContaining("keys.v1 is 16 bytes; at least 32 random bytes are required");
  }

  @Test
  void anInvalidMappingDocumentNamesTheEntry() {
    aws.parameter(
        PARAM,
        "{\"attributes\":{\"email\":{\"treatment\":\"keep\",\"column\":\"email_pseudonym\"}}}");

    assertThatThrownBy(() -> load(aws.environment(HMAC, DB, PARAM)))
        .hasMessageContaining(
            "mapping document "
                + PARAM
                + " (CONFIG_PARAMETER): attributes.email: identifying attribute would be stored raw");
  }

  @Test
  void missingOrInvalidEnvironmentIsNamed() {
    Map<String, String> env = new HashMap<>(aws.environment(HMAC, DB, PARAM));
    env.remove("CONFIG_PARAMETER");
    assertThatThrownBy(() -> load(env)).hasMessage("CONFIG_PARAMETER is required but not set");

    env.put("CONFIG_PARAMETER", PARAM);
    env.put("DB_PREPARE_THRESHOLD", "-1");
    assertThatThrownBy(() -> load(env))
        .hasMessage("DB_PREPARE_THRESHOLD must be an integer from 0 to 1000000, was \"-1\"");

    env.remove("DB_PREPARE_THRESHOLD");
    env.remove("DB_SSL_MODE");
    assertThatThrownBy(() -> load(env))
        .as("verify-full is the default and needs the CA bundle")
        .hasMessageContaining("DB_SSL_MODE=verify-full needs the RDS CA bundle");

    assertThatThrownBy(() -> EtlConfig.fromEnv(Map.of(), () -> null))
        .hasMessageContaining("no warehouse configured");
  }

  @Test
  void aRotatedDatabasePasswordIsReReadOnceAndTheBatchCommits() throws Exception {
    TestWarehouse warehouse = TestWarehouse.shared();
    warehouse.truncateAll();
    warehouse.execute("DROP ROLE IF EXISTS etl_rotating");
    warehouse.execute("CREATE ROLE etl_rotating LOGIN PASSWORD 'pw-1' IN ROLE etl_writer");
    URI url = URI.create(warehouse.jdbcUrl().substring("jdbc:".length()));
    aws.secret(DB, dbSecret(url, "pw-1"));
    Map<String, String> env = aws.environment(HMAC, DB, PARAM);
    StreamHandler handler = StreamHandler.fromEnvironment(env, BatchObserver.NONE);
    assertThat(
            Invocations.invoke(
                    handler, StreamEvents.startingAt(1).insert(TransactionItem.of("t-1")), null)
                .getBatchItemFailures())
        .isEmpty();

    // Rotation: the password changes in the database and the secret; the old session is dropped.
    warehouse.execute("ALTER ROLE etl_rotating PASSWORD 'pw-2'");
    aws.secret(DB, dbSecret(url, "pw-2"));
    warehouse.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'etl_rotating'");
    StreamsEventResponse response =
        Invocations.invoke(
            handler, StreamEvents.startingAt(2).insert(TransactionItem.of("t-2")), null);

    assertThat(response.getBatchItemFailures()).isEmpty();
    if (aws.reads(DB) >= 0) {
      assertThat(aws.reads(DB))
          .as("read at start-up and once after the refused login")
          .isEqualTo(2);
    }
  }

  private static String dbSecret(URI url, String password) {
    return "{\"host\":\""
        + url.getHost()
        + "\",\"port\":"
        + url.getPort()
        + ",\"dbname\":\"postgres\",\"username\":\"etl_rotating\",\"password\":\""
        + password
        + "\"}";
  }
}
