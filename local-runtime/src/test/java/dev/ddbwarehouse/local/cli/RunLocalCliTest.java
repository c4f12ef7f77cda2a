package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * run-local.sh as an operator meets it: a mistake is one line on stderr and exit 2, no stack trace;
 * help lists every option; -V prints the version. Runs without DynamoDB Local's native library, so
 * a run that got past the checks would fail differently (exit 70).
 */
class RunLocalCliTest {

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RunLocal.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertOneLineMistake(Result result, String message) {
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
    assertThat(result.stderr()).isEqualTo("run-local.sh: " + message + System.lineSeparator());
    assertThat(result.stderr()).doesNotContain("\tat ");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void printsOneLineForRateZero() {
    assertOneLineMistake(
        run("--rate", "0"),
        "--rate must be changes per second, more than 0 and at most 10000 (e.g. 20/s or 0.5/s),"
            + " was \"0\"");
  }

  @Test
  void printsOneLineForAMissingMappingFile() {
    assertOneLineMistake(
        run("--mapping", "/nonexistent/mapping.json"),
        "--mapping: cannot read /nonexistent/mapping.json (NoSuchFileException): name an existing,"
            + " readable file");
  }

  @Test
  void printsOneLineForAMissingKeyFile() {
    assertOneLineMistake(
        run("--hmac-secret-file", "/nonexistent/key.json"),
        "--hmac-secret-file: cannot read /nonexistent/key.json (NoSuchFileException): name an"
            + " existing, readable file");
  }

  @Test
  void printsOneLineForAnOptionThatIsNoNumber() {
    Result result = run("--items", "many");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines()).hasSize(1);
    assertThat(result.stderr()).startsWith("run-local.sh: Invalid value for option '--items'");
  }

  @Test
  void printsOneLineForAnUnknownOption() {
    Result result = run("--itmes", "5");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines()).hasSize(1).first().asString().contains("--itmes");
  }

  @Test
  void helpListsEveryOptionAndTheExitCodes() {
    Result result = run("--help");
    assertThat(result.exitCode()).isZero();
    for (String option :
        new String[] {
          "--items",
          "--updates",
          "--deletes",
          "--preexisting",
          "--seed",
          "--batch-size",
          "--batch-window-ms",
          "--max-retries",
          "--jdbc-url",
          "--db-user",
          "--db-password-file",
          "--db-password",
          "--hmac-secret-file",
          "--mapping",
          "--export-source",
          "--serve",
          "--rate",
          "--verbose",
          "--version",
          "--help"
        }) {
      assertThat(result.stdout()).as(option).contains(option);
    }
    assertThat(result.stdout()).contains("jdbc:postgresql://localhost:5432/warehouse");
    assertThat(result.stdout()).as("no password in an example URL").doesNotContain("&password=");
    assertThat(result.stdout()).contains("Exit codes: 0 done, 2 bad option or file, 3");
  }

  @Test
  void versionPrintsTheProjectVersion() {
    Result result = run("-V");
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout())
        .startsWith("run-local.sh (ddb-warehouse ")
        .doesNotContain("unknown");
  }
}
