package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.deployment.ScriptHarness.Call;
import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class OneTimeSetupScriptTest {

  private static final String SCRIPT = "one-time-setup.sh";
  // 32 bytes, base64: what `openssl rand -base64 32` prints. A test value, not a key in use.
  private static final String STUB_KEY = "c3R1Yi1rZXktbWF0ZXJpYWwtMzItYnl0ZXMtbG9uZyE=";
  private static final String SECRET_ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:ddb-warehouse/dev/hmac-key-AbCdEf";
  private static final String NOT_FOUND =
      "An error occurred (ResourceNotFoundException) when calling"
          + " the DescribeSecret operation: Secrets Manager can't find the specified secret.";

  private static final String BAD_MAPPING =
      "{\"attributes\":{\"email\":{\"treatment\":\"kepe\"}}}\n";
  private static final Pattern FILE_URL = Pattern.compile("file://([^ ]+)");
  private static final Pattern REDIRECT = Pattern.compile(">(/[^ )]+)");

  @TempDir Path tempDir;
  private ScriptHarness harness;
  private Path configFile;

  @BeforeEach
  void setUp() {
    harness = new ScriptHarness(tempDir);
    configFile = harness.writeRepoFile("config/dev.json", "{\"attributes\":{}}\n");
    harness
        .respond("openssl_rand_-base64", STUB_KEY + "\n", "", 0)
        .respond("aws_sts_get-caller-identity", "123456789012\n", "", 0)
        .respond(
            "aws_iam_get-role",
            "arn:aws:iam::123456789012:role/ddb-warehouse-dev-cloudformation\n",
            "",
            0)
        .respond("aws_s3api_head-bucket", "", "", 0);
  }

  private Result runSetup(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--stage",
                "dev",
                "--config-file",
                configFile.toString(),
                "--bucket",
                "ddb-warehouse-deploy-dev",
                "--region",
                "eu-central-1"));
    args.addAll(List.of(extra));
    return harness.run(SCRIPT, args.toArray(String[]::new));
  }

  @Test
  void createsTheKeySecretWithThirtyTwoRandomBytesWhenAbsent() {
    harness
        .respond("aws_secretsmanager_describe-secret", "", NOT_FOUND, 254)
        .respond("aws_secretsmanager_create-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.callsOf("openssl", "rand", "-base64", "32")).hasSize(1);
    Call create = result.onlyCall("aws", "secretsmanager", "create-secret");
    assertThat(create.option("--name")).contains("ddb-warehouse/dev/hmac-key");
    assertThat(create.option("--secret-string"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("file://"));
    Map<String, Object> secret =
        new Yaml().load(harness.captured("aws_secretsmanager_create-secret"));
    assertThat(secret).containsEntry("active", "v1");
    String key = (String) CloudFormationYaml.map(secret.get("keys"), "keys").get("v1");
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    assertThat(key).isEqualTo(STUB_KEY);
    assertThat(result.stdout()).contains("HmacSecretArn=" + SECRET_ARN);
  }

  @Test
  void neverPutsTheKeyOnACommandLineOrTheTerminal() {
    harness
        .respond("aws_secretsmanager_describe-secret", "", NOT_FOUND, 254)
        .respond("aws_secretsmanager_create-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.calls())
        .allSatisfy(call -> assertThat(String.join(" ", call.argv())).doesNotContain(STUB_KEY));
    assertThat(result.stdout()).doesNotContain(STUB_KEY);
    assertThat(result.stderr()).doesNotContain(STUB_KEY);
  }

  @Test
  void leavesAnExistingKeySecretUntouched() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.callsOf("aws", "secretsmanager"))
        .extracting(call -> call.argv().get(2))
        .as("only the existence check may touch the secret")
        .containsExactly("describe-secret");
    assertThat(result.callsOf("openssl")).isEmpty();
    assertThat(result.stderr()).contains("left unchanged");
    assertThat(result.stdout()).contains("HmacSecretArn=" + SECRET_ARN);
  }

  @Test
  void createsNothingWhenItCannotTellWhetherTheSecretExists() {
    harness.respond(
        "aws_secretsmanager_describe-secret",
        "",
        "An error occurred (AccessDeniedException) when calling the DescribeSecret operation",
        254);

    Result result = runSetup();

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("ddb-warehouse/dev/hmac-key")
        .contains("AccessDeniedException");
    assertThat(result.callsOf("aws", "secretsmanager", "create-secret")).isEmpty();
    assertThat(result.callsOf("aws", "ssm")).isEmpty();
  }

  @Test
  void upsertsTheConfigParameterFromTheFile() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    Call put = result.onlyCall("aws", "ssm", "put-parameter");
    assertThat(put.option("--name")).contains("/ddb-warehouse/dev/config");
    assertThat(put.argv()).contains("--overwrite");
    assertThat(put.option("--type")).contains("String");
    assertThat(harness.captured("aws_ssm_put-parameter")).isEqualTo("{\"attributes\":{}}\n");
  }

  @Test
  void createsAPrivateVersionedBucketOnlyWhenAbsent() {
    harness
        .respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0)
        .respond(
            "aws_s3api_head-bucket",
            "",
            "An error occurred (404) when calling the HeadBucket operation: Not Found",
            254);

    Result result = runSetup();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Call create = result.onlyCall("aws", "s3api", "create-bucket");
    assertThat(create.option("--bucket")).contains("ddb-warehouse-deploy-dev");
    assertThat(create.option("--create-bucket-configuration"))
        .contains("LocationConstraint=eu-central-1");
    assertThat(result.onlyCall("aws", "s3api", "put-public-access-block").argv())
        .anySatisfy(arg -> assertThat(arg).contains("BlockPublicPolicy=true"));
    assertThat(result.callsOf("aws", "s3api", "put-bucket-versioning")).hasSize(1);
  }

  @Test
  void keepsAnExistingBucket() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.callsOf("aws", "s3api", "create-bucket")).isEmpty();
  }

  @Test
  void createsTheDeploymentRoleWithAPolicyScopedToTheStage() {
    harness
        .respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0)
        .respond(
            "aws_iam_get-role",
            "",
            "An error occurred (NoSuchEntity) when calling the GetRole operation",
            254)
        .respond(
            "aws_iam_create-role",
            "arn:aws:iam::123456789012:role/ddb-warehouse-dev-cloudformation\n",
            "",
            0);

    Result result = runSetup();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.onlyCall("aws", "iam", "create-role").option("--role-name"))
        .contains("ddb-warehouse-dev-cloudformation");
    String policy = harness.captured("aws_iam_put-role-policy");
    assertThat(policy).doesNotContain("@").contains(":123456789012:").contains("ddb-warehouse-dev");
    Map<String, Object> document = new Yaml().load(policy);
    assertThat(CloudFormationYaml.list(document.get("Statement"), "Statement")).isNotEmpty();
    assertThat(result.stdout())
        .contains(
            "CLOUDFORMATION_ROLE_ARN=arn:aws:iam::123456789012:role/ddb-warehouse-dev-cloudformation");
  }

  @Test
  void skipsTheDeploymentRoleOnRequest() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup("--no-deploy-role");

    assertThat(result.callsOf("aws", "iam")).isEmpty();
    assertThat(result.stdout()).doesNotContain("CLOUDFORMATION_ROLE_ARN");
  }

  @Test
  void printsTheDatabaseUsersToCreate() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.stdout())
        .contains("CREATE ROLE ddb_warehouse_dev LOGIN PASSWORD")
        .contains("GRANT etl_writer TO ddb_warehouse_dev;")
        .contains("GRANT bi_reader TO");
    assertThat(result.callsOf("psql"))
        .as("the SQL is printed for an administrator, not run")
        .isEmpty();
  }

  @Test
  void dryRunPrintsEveryCommandAndRunsNone() {
    Result result = runSetup("--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).isEmpty();
    assertThat(result.stdout().lines().filter(line -> line.startsWith("+ ")))
        .anySatisfy(line -> assertThat(line).startsWith("+ aws secretsmanager describe-secret"))
        .anySatisfy(line -> assertThat(line).startsWith("+ aws secretsmanager create-secret"))
        .anySatisfy(line -> assertThat(line).startsWith("+ aws ssm put-parameter"))
        .anySatisfy(line -> assertThat(line).startsWith("+ aws s3api create-bucket"))
        .anySatisfy(line -> assertThat(line).startsWith("+ aws iam put-role-policy"));
  }

  @Test
  void refusesAnInvalidMappingDocumentBeforeAnyAwsCall() {
    configFile = harness.writeRepoFile("config/dev.json", BAD_MAPPING);

    Result result = runSetup();

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("attributes.email: unknown treatment \"kepe\"")
        .contains("nothing was sent to AWS")
        .doesNotContain("Exception");
    assertThat(result.calls()).as("not a single aws or openssl call").isEmpty();
  }

  @Test
  void refusesAnInvalidMappingDocumentInADryRunToo() {
    configFile = harness.writeRepoFile("config/dev.json", BAD_MAPPING);

    Result result = runSetup("--dry-run");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("attributes.email: unknown treatment \"kepe\"");
    assertThat(result.stdout())
        .as("no plan for a document that would fail")
        .doesNotContain("+ aws");
  }

  @Test
  void saysTheDocumentIsValidOnStderrKeepingStdoutForResults() {
    harness.respond("aws_secretsmanager_describe-secret", SECRET_ARN + "\n", "", 0);

    Result result = runSetup();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains(configFile + ": valid");
    assertThat(result.stdout()).doesNotContain(": valid");
  }

  @Test
  void dryRunPlanReferencesOnlyFilesThatOutliveTheScript() {
    Result result = runSetup("--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Set<String> written = new HashSet<>();
    for (String line : planLines(result)) {
      Matcher file = FILE_URL.matcher(line);
      while (file.find()) {
        String path = file.group(1);
        assertThat(written.contains(path) || Files.exists(Path.of(path)))
            .as("%s exists after the dry run or is written by an earlier line of the plan", path)
            .isTrue();
      }
      Matcher redirect = REDIRECT.matcher(line);
      if (redirect.find()) written.add(redirect.group(1));
    }
  }

  @Test
  void dryRunPlanDoesWhatARealRunDoesWhenPasted() {
    Result plan = runSetup("--dry-run");

    Result pasted = harness.runShell(String.join("\n", planLines(plan)));

    assertThat(pasted.exitCode()).as(pasted.stderr()).isZero();
    Map<String, Object> secret =
        new Yaml().load(harness.captured("aws_secretsmanager_create-secret"));
    assertThat(CloudFormationYaml.map(secret.get("keys"), "keys")).containsEntry("v1", STUB_KEY);
    assertThat(harness.captured("aws_iam_put-role-policy"))
        .doesNotContain("@")
        .contains(":123456789012:")
        .contains("ddb-warehouse-dev");
    assertThat(harness.captured("aws_ssm_put-parameter")).isEqualTo("{\"attributes\":{}}\n");
    assertThat(plan.stdout() + pasted.stdout() + pasted.stderr())
        .as("the key is made by the pasted line, never shown")
        .doesNotContain(STUB_KEY);
    assertThat(harness.repo().resolve("target/one-time-setup/dev/hmac-secret.json"))
        .as("the pasted plan removes the key file")
        .doesNotExist();
  }

  private static List<String> planLines(Result result) {
    return result
        .stdout()
        .lines()
        .filter(l -> l.startsWith("+ "))
        .map(l -> l.substring(2))
        .toList();
  }

  @Test
  void helpExitsZeroWithUsage() {
    Result result = harness.run(SCRIPT, "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout())
        .startsWith("Usage: scripts/one-time-setup.sh")
        .contains("--dry-run");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void namesAMissingRequiredFlag() {
    Result result =
        harness.run(
            SCRIPT,
            "--stage",
            "dev",
            "--config-file",
            configFile.toString(),
            "--region",
            "eu-central-1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--bucket");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void namesAMissingTool() {
    harness.remove("aws");

    Result result = runSetup();

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("'aws'");
    assertThat(result.calls()).isEmpty();
  }
}
