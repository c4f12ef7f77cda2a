package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.cli.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench.sh's mistakes are one line and an exit code, found before a database is started or a record
 * is generated (each of these runs returns at once; a mistake found late would start an embedded
 * PostgreSQL and bench for minutes).
 */
class BenchCliIT {

  private static final String TOOL = "bench.sh";

  private static CliRun bench(String... args) {
    return CliRun.of(Bench::run, args);
  }

  @Test
  void refusesZeroRecords() {
    bench("--records", "0")
        .failsWithOneLine(ExitCode.USAGE, TOOL, "--records must be at least 1, was 0");
  }

  @Test
  void refusesABatchSizeOfZero() {
    bench("--batch-sizes", "1000,0")
        .failsWithOneLine(ExitCode.USAGE, TOOL, "--batch-sizes must be at least 1, was 0");
  }

  @Test
  void refusesZeroRounds() {
    bench("--rounds", "0")
        .failsWithOneLine(ExitCode.USAGE, TOOL, "--rounds must be at least 1, was 0");
  }

  @Test
  void printsOneLineWhenTheHmacSecretFileIsMissing(@TempDir Path dir) {
    Path missing = dir.resolve("no-key.json");

    bench("--hmac-secret-file", missing.toString())
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--hmac-secret-file "
                + missing
                + ": no such file (expected a key file {\"active\":...})");
  }

  @Test
  void exitsThreeWhenTheDatabaseIsUnreachableAndMasksThePassword() {
    int port = CliRun.closedPort();

    CliRun run =
        bench("--jdbc-url", "jdbc:postgresql://127.0.0.1:" + port + "/w?user=me&password=hunter2");

    run.failsWithOneLine(
        ExitCode.UNREACHABLE,
        TOOL,
        "cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:"
            + port
            + "/w?user=me&password=***: connection refused (SQLSTATE 08001):"
            + " is it running, and are host and port in --jdbc-url right?");
  }

  @Test
  void exitsTwoForANonPostgresJdbcUrl() {
    bench("--jdbc-url", "jdbc:mysql://localhost/w", "--db-user", "me")
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE),"
                + " not jdbc:mysql");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitTwo() {
    bench("--recrods", "10")
        .failsWithOneLine(ExitCode.USAGE, TOOL, "Unknown options: '--recrods', '10' (see --help)");
  }

  @Test
  void checkOnlyExitsZeroWithoutStartingADatabase() {
    CliRun run = bench("--check-only", "--records", "10");

    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    assertThat(run.stdout()).as("no figures: nothing was measured").isEmpty();
  }

  @Test
  void printsTheVersion() {
    bench("-V").printedTheVersionOf("bench.sh");
  }

  @Test
  void helpListsEveryOptionWithinOneHundredTwentyColumns() {
    bench("--help")
        .printedHelpWith(
            "--records=N",
            "--batch-sizes=N",
            "--rounds=N",
            "--modify",
            "--warmup-records=N",
            "--cold-start-runs=N",
            "--suppressed-subjects=N",
            "--pin",
            "--lambda-jar=JAR",
            "--jdbc-url=URL",
            "--db-user=USER",
            "--db-password=PASSWORD",
            "--hmac-secret-file=FILE",
            "--verbose",
            "lambda/target/ddb-warehouse-lambda.jar",
            "Exit codes:");
  }
}
