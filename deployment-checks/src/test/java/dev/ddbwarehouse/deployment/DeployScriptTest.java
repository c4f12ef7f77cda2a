package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ddbwarehouse.deployment.ScriptHarness.Call;
import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployScriptTest {

  private static final String SCRIPT = "deploy.sh";
  // A value for the stubs only: asserted never to reach a command line.
  private static final String ADMIN_PASSWORD = "stub-admin-password-7f3c";
  private static final String ADMIN_SECRET =
      """
      {"host":"warehouse.cluster-abc.eu-west-1.rds.amazonaws.com","port":5432,"dbname":"warehouse",\
      "username":"warehouse_admin","password":"%s","engine":"postgres"}
      """
          .formatted(ADMIN_PASSWORD);
  private static final String STAGE_FILE =
      """
      # test stage
      AWS_REGION=eu-west-1
      DEPLOY_BUCKET=deploy-bucket-test
      ADMIN_DB_SECRET_ID=ddb-warehouse/test/db-admin
      CLOUDFORMATION_ROLE_ARN=arn:aws:iam::123456789012:role/ddb-warehouse-test-cloudformation
      SourceStreamArns=%s,%s
      ShadowStreamArns=
      SubnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210
      JavaToolOptions=-XX:+TieredCompilation -XX:TieredStopAtLevel=1
      """
          .formatted(SamStreamMappingsTest.TRANSACTIONS, SamStreamMappingsTest.USER_PROFILES);
  private static final String MAPPING =
      """
      {"tables": {
        "transactions": {},
        "user_profiles": {},
        "orders": {"source": "orders", "shadow": "orders-copy", "target": "warehouse.orders"}
      }}
      """;

  @TempDir Path tempDir;
  private ScriptHarness harness;

  @BeforeEach
  void setUp() {
    assumeTrue(
        ScriptHarness.hasSystemTool("jq"),
        "deploy.sh reads the DB secret with jq, which is not installed");
    harness = new ScriptHarness(tempDir);
    harness.writeRepoFile("deploy/test.env", STAGE_FILE);
    harness.writeRepoFile("target/sam/packaged-test.yaml", "Resources: {}\n");
    harness.respond("aws_secretsmanager_get-secret-value", ADMIN_SECRET, "", 0);
  }

  @Test
  void migratesWithTheAdminSecretBeforeDeploying() {
    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).extracting(Call::tool).containsExactly("aws", "mvnw", "sam");
    assertThat(result.onlyCall("aws", "secretsmanager", "get-secret-value").option("--secret-id"))
        .contains("ddb-warehouse/test/db-admin");
    Call flyway = result.onlyCall("mvnw");
    assertThat(flyway.option("-f"))
        .contains(harness.repo().resolve("deploy/flyway/pom.xml").toString());
    assertThat(flyway.argv())
        .contains("org.flywaydb:flyway-maven-plugin:11.20.3:migrate")
        .contains(
            "-Dflyway.url=jdbc:postgresql://warehouse.cluster-abc.eu-west-1.rds.amazonaws.com:5432/warehouse?sslmode=verify-full");
  }

  @Test
  void handsTheAdminPasswordToFlywayThroughTheEnvironmentOnly() {
    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(harness.capturedMavenEnvironment())
        .contains("FLYWAY_USER=warehouse_admin")
        .contains("FLYWAY_PASSWORD=" + ADMIN_PASSWORD);
    assertThat(result.calls())
        .allSatisfy(
            call -> assertThat(String.join(" ", call.argv())).doesNotContain(ADMIN_PASSWORD));
    assertThat(result.stdout() + result.stderr()).doesNotContain(ADMIN_PASSWORD);
  }

  @Test
  void deploysTheStackWithTheStageParameters() {
    Result result = harness.run(SCRIPT, "--stage", "test");

    Call deploy = result.onlyCall("sam", "deploy");
    assertThat(deploy.option("--stack-name")).contains("ddb-warehouse-test");
    assertThat(deploy.option("--template-file"))
        .contains(harness.repo().resolve("target/sam/packaged-test.yaml").toString());
    assertThat(deploy.option("--capabilities")).contains("CAPABILITY_IAM");
    assertThat(deploy.option("--role-arn"))
        .contains("arn:aws:iam::123456789012:role/ddb-warehouse-test-cloudformation");
    assertThat(deploy.values("--parameter-overrides"))
        .containsExactly(
            "Stage=\"test\"",
            "SourceStreamArns=\""
                + SamStreamMappingsTest.TRANSACTIONS
                + ","
                + SamStreamMappingsTest.USER_PROFILES
                + "\"",
            "ShadowStreamArns=\"\"",
            "SubnetIds=\"subnet-0123456789abcdef0,subnet-0fedcba9876543210\"",
            "JavaToolOptions=\"-XX:+TieredCompilation -XX:TieredStopAtLevel=1\"",
            "StreamArn=\"\"",
            "BackfillStreamArn=\"\"");
  }

  @Test
  void aStageFileWithTheDeprecatedStreamParametersStillDeploys() {
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams("StreamArn=" + SamStreamMappingsTest.TRANSACTIONS + "\nBackfillStreamArn=\n"));

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.onlyCall("sam", "deploy").values("--parameter-overrides"))
        .as("the lists are passed empty, so no stream is kept from an earlier deploy")
        .contains(
            "StreamArn=\"" + SamStreamMappingsTest.TRANSACTIONS + "\"",
            "BackfillStreamArn=\"\"",
            "SourceStreamArns=\"\"",
            "ShadowStreamArns=\"\"");
  }

  @Test
  void refusesAMalformedStreamArnBeforeAnyCall() {
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams(
            "SourceStreamArns="
                + SamStreamMappingsTest.TRANSACTIONS
                + ",arn:aws:dynamodb:eu-west-1:123456789012:table/orders\n"));

    Result result = harness.run(SCRIPT, "--stage", "test", "--dry-run");

    assertOneLineRefusal(
        result, "SourceStreamArns: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders'");
  }

  @Test
  void refusesAStrayCommaInAStreamList() {
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams("SourceStreamArns=" + SamStreamMappingsTest.TRANSACTIONS + ",\n"));

    assertOneLineRefusal(
        harness.run(SCRIPT, "--stage", "test"), "SourceStreamArns has an empty element");
  }

  @Test
  void refusesAStreamNamedTwice() {
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams(
            "SourceStreamArns="
                + SamStreamMappingsTest.USER_PROFILES
                + "\nStreamArn="
                + SamStreamMappingsTest.TRANSACTIONS
                + "\nShadowStreamArns="
                + SamStreamMappingsTest.TRANSACTIONS
                + "\n"));

    assertOneLineRefusal(
        harness.run(SCRIPT, "--stage", "test"),
        "the stream of table 'transactions' is in StreamArn and in ShadowStreamArns");
  }

  @Test
  void refusesTwoStreamsThatWouldGetTheSameMappingName() {
    String myTable =
        SamStreamMappingsTest.TRANSACTIONS.replace("table/transactions/", "table/my-table/");
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams(
            "SourceStreamArns=" + myTable + "," + myTable.replace("my-table", "my_table") + "\n"));

    assertOneLineRefusal(
        harness.run(SCRIPT, "--stage", "test"),
        "the streams of tables 'my-table' and 'my_table' would get the same mapping name");
  }

  @Test
  void refusesAStageFileThatNamesNoSourceStream() {
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams("ShadowStreamArns=" + SamStreamMappingsTest.TRANSACTIONS_SHADOW + "\n"));

    assertOneLineRefusal(
        harness.run(SCRIPT, "--stage", "test"), "no source stream: set SourceStreamArns");
  }

  @Test
  void emptySourceStreamsOnPurposeDeployWithAWarning() {
    harness.writeRepoFile("deploy/test.env", withStreams("SourceStreamArns=\nStreamArn=\n"));

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("warning: ").contains("no source stream mapping");
    assertThat(result.onlyCall("sam", "deploy").values("--parameter-overrides"))
        .contains("SourceStreamArns=\"\"", "StreamArn=\"\"");
  }

  @Test
  void acceptsStreamsOfTheTablesTheMappingDocumentNames() {
    Path mapping = harness.writeRepoFile("config/test.json", MAPPING);
    String orders =
        SamStreamMappingsTest.TRANSACTIONS.replace("table/transactions/", "table/orders/");
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams(
            "SourceStreamArns="
                + String.join(
                    ",",
                    SamStreamMappingsTest.TRANSACTIONS,
                    SamStreamMappingsTest.USER_PROFILES,
                    orders)
                + "\nShadowStreamArns="
                + String.join(
                    ",",
                    SamStreamMappingsTest.TRANSACTIONS_SHADOW,
                    orders.replace("table/orders/", "table/orders-copy/"))
                + "\n"));

    Result result = harness.run(SCRIPT, "--stage", "test", "--mapping-file", mapping.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).doesNotContain("warning");
    assertThat(result.onlyCall("sam", "deploy")).isNotNull();
  }

  @Test
  void refusesAStreamOfATableTheMappingDocumentDoesNotName() {
    Path mapping = harness.writeRepoFile("config/test.json", MAPPING);
    String payments =
        SamStreamMappingsTest.TRANSACTIONS.replace("table/transactions/", "table/payments/");
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams(
            "SourceStreamArns=" + SamStreamMappingsTest.TRANSACTIONS + "," + payments + "\n"));

    for (String mode : List.of("--dry-run", "--skip-migrate")) {
      Result result =
          harness.run(SCRIPT, "--stage", "test", mode, "--mapping-file", mapping.toString());

      assertOneLineRefusal(
          result,
          "SourceStreamArns: table 'payments' is neither a source nor a shadow of a table in "
              + mapping);
      assertThat(result.stdout()).as("nothing planned either").isEmpty();
    }
  }

  @Test
  void warnsAboutAMappingDocumentTableWithoutAStream() {
    Path mapping = harness.writeRepoFile("config/test.json", MAPPING);
    harness.writeRepoFile(
        "deploy/test.env",
        withStreams("SourceStreamArns=" + SamStreamMappingsTest.TRANSACTIONS + "\n"));

    Result result =
        harness.run(SCRIPT, "--stage", "test", "--dry-run", "--mapping-file", mapping.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr())
        .contains(
            "warning: " + mapping + ": table 'user-profiles' (tables.user_profiles) has no stream")
        .contains("table 'orders' (tables.orders)")
        .doesNotContain("'transactions'");
  }

  @Test
  void doesNotCheckStreamsAgainstAVersion1MappingDocument() {
    Path mapping =
        harness.writeRepoFile(
            "config/test.json", "{\"attributes\": {\"note\": {\"treatment\": \"drop\"}}}");

    Result result =
        harness.run(SCRIPT, "--stage", "test", "--dry-run", "--mapping-file", mapping.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("version 1 document");
  }

  @Test
  void refusesAMappingFileThatIsNotJson() {
    Path mapping = harness.writeRepoFile("config/test.json", "tables: {}\n");

    assertOneLineRefusal(
        harness.run(SCRIPT, "--stage", "test", "--mapping-file", mapping.toString()),
        "is not JSON");
  }

  /** The test stage file with its stream lines replaced. */
  private static String withStreams(String streamLines) {
    return STAGE_FILE.replaceAll("(?m)^SourceStreamArns=.*\n^ShadowStreamArns=\n", streamLines);
  }

  private static void assertOneLineRefusal(Result result, String message) {
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
    assertThat(result.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains(message);
    assertThat(result.calls()).as("nothing ran").isEmpty();
  }

  @Test
  void refusesAnIncompleteAdminSecretWithoutDeploying() {
    harness.respond(
        "aws_secretsmanager_get-secret-value",
        "{\"host\":\"db\",\"dbname\":\"warehouse\",\"username\":\"admin\"}",
        "",
        0);

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("'password'");
    assertThat(result.callsOf("mvnw")).isEmpty();
    assertThat(result.callsOf("sam")).isEmpty();
  }

  @Test
  void stopsBeforeDeployingWhenTheMigrationFails() {
    harness.respond("mvnw_-q_-f", "", "[ERROR] Migration V5 failed", 1);

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.callsOf("sam")).isEmpty();
  }

  @Test
  void skipMigrateDeploysOnly() {
    Result result = harness.run(SCRIPT, "--stage", "test", "--skip-migrate");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).extracting(Call::tool).containsExactly("sam");
  }

  @Test
  void namesAMissingSetting() {
    harness.writeRepoFile("deploy/test.env", STAGE_FILE.replace("ADMIN_DB_SECRET_ID=", "#"));

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("ADMIN_DB_SECRET_ID");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void refusesAStageParameterInTheStageFile() {
    harness.writeRepoFile("deploy/test.env", STAGE_FILE + "Stage=prod\n");

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Stage=");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void dryRunPrintsEveryCommandAndRunsNone() {
    Result result = harness.run(SCRIPT, "--stage", "test", "--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).isEmpty();
    assertThat(result.stdout().lines().filter(line -> line.startsWith("+ ")).toList())
        .hasSize(3)
        .satisfiesExactly(
            line -> assertThat(line).startsWith("+ aws secretsmanager get-secret-value"),
            line -> assertThat(line).contains("org.flywaydb:flyway-maven-plugin:11.20.3:migrate"),
            line -> assertThat(line).startsWith("+ sam deploy"));
  }

  @Test
  void dryRunPrintsTheMigrationUrlTheRealRunUsesSslRootCertIncluded() {
    harness.writeRepoFile(
        "deploy/test.env", STAGE_FILE + "DB_SSL_ROOT_CERT=/etc/ssl/certs/rds-global-bundle.pem\n");

    String real =
        harness.run(SCRIPT, "--stage", "test").onlyCall("mvnw").argv().stream()
            .filter(arg -> arg.startsWith("-Dflyway.url="))
            .findFirst()
            .orElseThrow();
    Result dryRun = harness.run(SCRIPT, "--stage", "test", "--dry-run");

    String query = real.substring(real.indexOf('?'));
    assertThat(query)
        .isEqualTo("?sslmode=verify-full&sslrootcert=/etc/ssl/certs/rds-global-bundle.pem");
    assertThat(dryRun.stdout().lines().filter(l -> l.contains("flyway-maven-plugin")))
        .singleElement()
        .asString()
        .as("the same URL, shell-quoted, with placeholders for what only the secret knows")
        .contains("jdbc:postgresql://\\<host\\>:\\<port\\>/\\<dbname\\>")
        .contains(query.replace("&", "\\&"));
  }

  @Test
  void dryRunWorksWithTheExampleStageFile() {
    Result result = harness.run(SCRIPT, "--stage", "example", "--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("--stack-name ddb-warehouse-example");
  }

  @Test
  void helpExitsZeroWithUsage() {
    Result result = harness.run(SCRIPT, "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout())
        .startsWith("Usage: scripts/deploy.sh")
        .contains("deploy/STAGE.env")
        .contains("--mapping-file FILE")
        .contains("SourceStreamArns");
  }

  @Test
  void namesAMissingRequiredFlag() {
    Result result = harness.run(SCRIPT, "--dry-run");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--stage");
  }

  @Test
  void namesAMissingTool() {
    harness.remove("sam");

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("'sam'");
    assertThat(result.calls()).isEmpty();
  }
}
