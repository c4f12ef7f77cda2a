package dev.ddbwarehouse.local.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.backfill.drain.StreamPositions;
import dev.ddbwarehouse.core.pipeline.BatchObserver;
import dev.ddbwarehouse.local.pipeline.WarehouseFunction;
import dev.ddbwarehouse.local.stream.StreamBatchFunction;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * verify on the built-in user_profiles entry, whose key is pseudonymised: the real handler (with
 * the built-in mapping document) writes warehouse.user_profiles from the user-profiles stream, and
 * verify finds each item by the pseudonym it computes with the same HMAC key ring.
 */
class BackfillVerifyUserProfilesIT {

  private static final String TABLE = "user-profiles";
  private static final int ITEMS = 30;

  private final LocalHarness local = LocalHarness.shared();

  @BeforeEach
  void cleanWarehouse() {
    local.warehouse.truncateAll();
    dropTable();
  }

  @AfterEach
  void stop() {
    local.stopAll();
    dropTable();
  }

  @Test
  void verifyFindsProfilesByPseudonymAndReportsAMissingOneByPseudonymOnly() throws Exception {
    String stream = createTable();
    StreamPositions positions = new StreamPositions();
    local.poll(stream, positions, builtInMappingFunction());
    List<String> userIds = writeProfiles();
    local.awaitDrained(stream, positions, Duration.ofMinutes(1));

    CliRun clean = verify("--hmac-secret-file", local.hmacSecret.toString());
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("verify: 30 items in user-profiles");
    assertThat(clean.lastLine()).contains("items=30 present=30").contains("missing=0 no_id=0");

    String deleted = deleteOneRow();
    CliRun missing = verify("--hmac-secret-file", local.hmacSecret.toString());

    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(1);
    assertThat(missing.out()).contains("missing user_pseudonym:\n  " + deleted + "\n");
    assertThat(missing.lastLine()).contains("present=29").contains("missing=1");
    for (String userId : userIds) {
      assertThat(missing.out() + missing.err())
          .as("no raw userId on the terminal")
          .doesNotContain(userId);
    }

    CliRun noKeyRing = verify();
    assertThat(noKeyRing.exitCode()).isEqualTo(2);
    assertThat(noKeyRing.err())
        .contains("the key of mapping entry user_profiles is pseudonymised (userId)")
        .contains("--hmac-secret-file");
  }

  @Test
  void aTableNoEntryNamesIsOneLineNamingTheEntries() {
    CliRun run =
        CliRun.of(
            "verify",
            "--source",
            "orders",
            "--jdbc-url",
            local.warehouse.jdbcUrl(),
            "--endpoint-url",
            local.dynamo.endpoint().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .contains("has source orders")
        .contains("transactions (source transactions), user_profiles (source user-profiles)");
  }

  /** The real handler with the built-in document, which routes user-profiles to user_profiles. */
  private StreamBatchFunction builtInMappingFunction() {
    return WarehouseFunction.create(
        new WarehouseFunction.Settings(
            local.warehouse.jdbcUrl(),
            TestWarehouse.WRITER_USER,
            TestWarehouse.TEST_PASSWORD,
            local.hmacSecret,
            null,
            null),
        BatchObserver.NONE);
  }

  private CliRun verify(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--source",
                TABLE,
                "--endpoint-url",
                local.dynamo.endpoint().toString(),
                "--jdbc-url",
                local.warehouse.jdbcUrl(),
                "--db-user",
                "etl_test_writer",
                "--db-password-file",
                local.passwordFile().toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private String createTable() {
    local
        .dynamoDb()
        .createTable(
            b ->
                b.tableName(TABLE)
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName("userId")
                            .keyType(KeyType.HASH)
                            .build())
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("userId")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(
                        StreamSpecification.builder()
                            .streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                            .build()));
    return local.dynamoDb().describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
  }

  private List<String> writeProfiles() {
    List<String> userIds = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      String userId = "user-" + UUID.randomUUID();
      userIds.add(userId);
      local
          .dynamoDb()
          .putItem(
              b ->
                  b.tableName(TABLE)
                      .item(
                          Map.of(
                              "userId", AttributeValue.fromS(userId),
                              "country", AttributeValue.fromS("DE"),
                              "updatedAt", AttributeValue.fromS("2026-03-01T10:00:00Z"))));
    }
    return userIds;
  }

  /** Deletes one warehouse row; returns its pseudonym. */
  private String deleteOneRow() throws Exception {
    try (Connection c = local.warehouse.adminConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "DELETE FROM warehouse.user_profiles WHERE user_pseudonym ="
                    + " (SELECT min(user_pseudonym) FROM warehouse.user_profiles)"
                    + " RETURNING user_pseudonym")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void dropTable() {
    if (local.dynamoDb().listTables().tableNames().contains(TABLE)) {
      local.dynamoDb().deleteTable(b -> b.tableName(TABLE));
    }
  }
}
