package dev.ddbwarehouse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.deployment.ScriptHarness.Call;
import dev.ddbwarehouse.deployment.ScriptHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageScriptTest {

  private static final String SCRIPT = "package.sh";

  @TempDir Path tempDir;
  private ScriptHarness harness;

  @BeforeEach
  void setUp() {
    harness = new ScriptHarness(tempDir);
    harness.writeRepoFile(
        "deploy/test.env", "AWS_REGION=eu-west-1\nDEPLOY_BUCKET=deploy-bucket-test\n");
    // What the real build leaves behind; the stub Maven wrapper builds nothing.
    harness.writeRepoFile("lambda/target/ddb-warehouse-lambda.jar", "not a real jar");
  }

  @Test
  void buildsTheShadedJarThenPackagesToTheStageBucket() {
    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).extracting(Call::tool).containsExactly("mvnw", "sam");
    assertThat(result.calls().get(0).argv())
        .containsSubsequence("-pl", "lambda", "-am", "package", "-DskipTests");
    Call sam = result.onlyCall("sam", "package");
    assertThat(sam.option("--template-file"))
        .contains(harness.repo().resolve("sam-template.yaml").toString());
    assertThat(sam.option("--s3-bucket")).contains("deploy-bucket-test");
    assertThat(sam.option("--s3-prefix")).contains("ddb-warehouse/test");
    assertThat(sam.option("--region")).contains("eu-west-1");
    assertThat(sam.option("--output-template-file"))
        .contains(harness.repo().resolve("target/sam/packaged-test.yaml").toString());
  }

  @Test
  void flagsOverrideTheStageFile() {
    Result result =
        harness.run(SCRIPT, "--stage", "test", "--bucket", "other-bucket", "--skip-build");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.callsOf("mvnw")).isEmpty();
    assertThat(result.onlyCall("sam", "package").option("--s3-bucket")).contains("other-bucket");
  }

  @Test
  void stopsWhenTheBuildLeftNoJar() {
    ScriptHarness withoutJar = new ScriptHarness(tempDir.resolve("without-jar"));
    withoutJar.writeRepoFile("deploy/test.env", "AWS_REGION=eu-west-1\nDEPLOY_BUCKET=b-test\n");

    Result result = withoutJar.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("ddb-warehouse-lambda.jar");
    assertThat(result.callsOf("sam")).isEmpty();
  }

  @Test
  void namesAMissingTool() {
    harness.remove("sam");

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("'sam'");
    assertThat(result.calls()).isEmpty();
  }

  @Test
  void dryRunPrintsEveryCommandAndRunsNone() {
    Result result = harness.run(SCRIPT, "--stage", "test", "--dry-run");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.calls()).isEmpty();
    assertThat(result.stdout().lines().filter(line -> line.startsWith("+ ")).toList())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("mvnw -q -pl lambda -am package -DskipTests"))
        .anySatisfy(line -> assertThat(line).startsWith("+ sam package"));
  }

  @Test
  void dryRunSaysWhatItWouldPackageNotThatItDid() {
    Result result = harness.run(SCRIPT, "--stage", "test", "--dry-run");

    assertThat(result.stderr())
        .contains(
            "would write the packaged template "
                + harness.repo().resolve("target/sam/packaged-test.yaml"))
        .doesNotContain("packaged template:");
    assertThat(harness.repo().resolve("target/sam/packaged-test.yaml")).doesNotExist();
  }

  @Test
  void aRealRunSaysWhereThePackagedTemplateIs() {
    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.stderr())
        .contains("packaged template: " + harness.repo().resolve("target/sam/packaged-test.yaml"));
  }

  @Test
  void helpExitsZeroWithUsage() {
    Result result = harness.run(SCRIPT, "-h");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("Usage: scripts/package.sh");
  }

  @Test
  void namesAMissingRequiredFlag() {
    Result result = harness.run(SCRIPT, "--skip-build");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--stage");
  }

  @Test
  void namesTheSettingThatIsMissing() {
    harness.writeRepoFile("deploy/test.env", "AWS_REGION=eu-west-1\n");

    Result result = harness.run(SCRIPT, "--stage", "test");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("DEPLOY_BUCKET").contains("--bucket");
  }
}
