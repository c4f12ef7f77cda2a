package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ddbwarehouse.cli.CliFailure;
import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * run-local's checks as the pure step they are: {@link RunLocal#plan()} reads and parses what the
 * options name and starts nothing, so each mistake is tested here without DynamoDB Local.
 */
class RunLocalOptionsTest {

  @TempDir Path dir;

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  private static RunPlan plan(String... args) {
    RunLocal command = new RunLocal(NOWHERE, NOWHERE, false);
    new CommandLine(command).parseArgs(args);
    return command.plan();
  }

  private static CliFailure mistake(String... args) {
    CliFailure failure = catchThrowableOfType(CliFailure.class, () -> plan(args));
    assertThat(failure).as("a CliFailure for %s", String.join(" ", args)).isNotNull();
    assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(failure.getMessage()).doesNotContain("\n");
    return failure;
  }

  @Test
  void refusesRateZero() {
    assertThat(mistake("--rate", "0").getMessage())
        .isEqualTo(
            "--rate must be changes per second, more than 0 and at most 10000 (e.g. 20/s or"
                + " 0.5/s), was \"0\"");
  }

  @Test
  void refusesMalformedRates() {
    for (String rate : new String[] {"fast", "1e3", "NaN", "-5/s", "20/min", "10001/s", ""}) {
      assertThat(mistake("--rate", rate).getMessage()).startsWith("--rate must be");
    }
  }

  @Test
  void acceptsRatesWithAndWithoutUnit() {
    assertThat(plan("--rate", "0.5/s").rate().perSecond()).isEqualTo(0.5);
    assertThat(plan("--rate", "7").rate().perSecond()).isEqualTo(7);
  }

  @Test
  void namesTheOptionAndItsRangeForBadCounts() {
    assertThat(mistake("--items", "-1").getMessage()).isEqualTo("--items must be >= 0, was -1");
    assertThat(mistake("--updates", "-3").getMessage()).isEqualTo("--updates must be >= 0, was -3");
    assertThat(mistake("--deletes", "-3").getMessage()).isEqualTo("--deletes must be >= 0, was -3");
    assertThat(mistake("--preexisting", "-1").getMessage())
        .isEqualTo("--preexisting must be >= 0, was -1");
    assertThat(mistake("--batch-size", "0").getMessage())
        .isEqualTo("--batch-size must be 1..10000, was 0");
    assertThat(mistake("--batch-size", "10001").getMessage())
        .isEqualTo("--batch-size must be 1..10000, was 10001");
    assertThat(mistake("--batch-window-ms", "300001").getMessage())
        .isEqualTo("--batch-window-ms must be 0..300000, was 300001");
    assertThat(mistake("--max-retries", "-2").getMessage())
        .isEqualTo("--max-retries must be >= -1, was -2");
  }

  @Test
  void refusesAMissingMappingFile() {
    Path missing = dir.resolve("nope.json");
    assertThat(mistake("--mapping", missing.toString()).getMessage())
        .isEqualTo(
            "--mapping: cannot read "
                + missing
                + " (NoSuchFileException): name an existing, readable file");
  }

  @Test
  void refusesAMappingTheHandlerWouldRefuse() throws IOException {
    Path mapping = Files.writeString(dir.resolve("mapping.json"), "{\"not\": \"a mapping\"");
    assertThat(mistake("--mapping", mapping.toString()).getMessage())
        .contains("--mapping " + mapping);
  }

  @Test
  void refusesAKeyFileThatIsNoKeyRing() throws IOException {
    Path key = Files.writeString(dir.resolve("key.json"), "{\"active\":\"v1\",\"keys\":{}}");
    assertThat(mistake("--hmac-secret-file", key.toString()).getMessage())
        .isEqualTo(
            "HMAC key secret --hmac-secret-file "
                + key
                + ": \"keys\" must be a non-empty object of version to base64 key");
  }

  @Test
  void acceptsAGeneratedKeyFile() {
    Path key = dir.resolve("hmac-secret.json");
    HmacSecretFile.generate(key);
    assertThat(plan("--hmac-secret-file", key.toString()).hmacSecretFile()).isEqualTo(key);
  }

  @Test
  void refusesANonPostgresUrlWithoutEchoingItsPassword() {
    String message =
        mistake("--jdbc-url", "jdbc:mysql://db/x?user=u&password=Canary-41").getMessage();
    assertThat(message)
        .isEqualTo(
            "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), was"
                + " jdbc:mysql://db/x?user=u&password=***");
  }

  @Test
  void refusesLoginOptionsWithoutJdbcUrl() {
    assertThat(mistake("--db-user", "me").getMessage())
        .isEqualTo(
            "--db-user, --db-password-file and --db-password need --jdbc-url (the embedded"
                + " PostgreSQL makes its own logins)");
  }

  @Test
  void refusesAUrlWithoutUser() {
    assertThat(mistake("--jdbc-url", "jdbc:postgresql://localhost/x").getMessage())
        .isEqualTo("--db-user is required unless the JDBC URL carries user=");
  }

  @Test
  void refusesAnUnreadablePasswordFile() {
    Path missing = dir.resolve("pw");
    assertThat(
            mistake(
                    "--jdbc-url",
                    "jdbc:postgresql://localhost/x",
                    "--db-user",
                    "me",
                    "--db-password-file",
                    missing.toString())
                .getMessage())
        .isEqualTo(
            "--db-password-file: cannot read "
                + missing
                + " (NoSuchFileException): name a readable file whose first line is the password");
  }

  @Test
  void readsThePasswordFromTheFirstLineOfTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "s3cret-line\r\nignored\n");
    RunPlan plan =
        plan(
            "--jdbc-url",
            "jdbc:postgresql://localhost/x",
            "--db-user",
            "me",
            "--db-password-file",
            file.toString());
    assertThat(plan.database().orElseThrow().password()).isEqualTo("s3cret-line");
    assertThat(plan.database().orElseThrow().user()).isEqualTo("me");
  }

  @Test
  void refusesAnExportIntoAMissingFolder() {
    Path target = dir.resolve("missing/items.jsonl");
    assertThat(mistake("--export-source", target.toString()).getMessage())
        .isEqualTo(
            "--export-source: cannot write "
                + target
                + " (its folder must exist and it must not be a folder itself)");
  }

  @Test
  void letsUpdatesPickPreexistingItemsButKeepsTheirInsertsOutOfTheTimedPart() {
    RunPlan plan = plan("--preexisting", "5", "--items", "10", "--updates", "50", "--deletes", "0");

    assertThat(plan.preexisting()).isEqualTo(5);
    assertThat(plan.expectedStreamRecords())
        .as("10 inserts, then an update for each of the 15 live items")
        .isEqualTo(10 + 15);
  }

  @Test
  void knowsTheStreamRecordsOfTheTimedPartBeforeItStarts() {
    assertThat(plan().expectedStreamRecords()).isEqualTo(10_000 + 1_000 + 200);
    assertThat(plan("--items", "10", "--updates", "50", "--deletes", "3").expectedStreamRecords())
        .as("no more updates than live items")
        .isEqualTo(10 + 10 + 3);
    assertThat(plan("--items", "0").expectedStreamRecords()).isZero();
  }
}
