package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-local against a PostgreSQL the user runs: a password never reaches the terminal, and a
 * database it cannot reach or log in to is one line and exit 3.
 */
class RunLocalCliIT {

  private static final String CANARY = "Canary-pw-5e1b7c";

  @TempDir Path stateDir;

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String previous = System.setProperty("ddbw.local.stateDir", stateDir.toString());
    try {
      int code =
          RunLocal.run(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      if (previous == null) System.clearProperty("ddbw.local.stateDir");
      else System.setProperty("ddbw.local.stateDir", previous);
    }
  }

  @Test
  void masksThePasswordInEveryPrintedUrl() {
    TestWarehouse db = TestWarehouse.shared();
    db.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'runlocal_canary') THEN"
            + " CREATE ROLE runlocal_canary LOGIN SUPERUSER PASSWORD '"
            + CANARY
            + "'; END IF; END $$");
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?");
    Result result =
        run("--jdbc-url", url + "user=runlocal_canary&password=" + CANARY, "--items", "20");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("warehouse   PostgreSQL at ").contains("password=***");
    assertThat(result.stdout() + result.stderr()).doesNotContain(CANARY);
  }

  @Test
  void summaryCountsOnlyWhatThisRunWroteIntoANonEmptyDatabase() {
    TestWarehouse db = TestWarehouse.shared();
    db.truncateAll();
    // Rows of an earlier run: a live transaction and a quarantined record, not this run's.
    db.execute(
        "INSERT INTO warehouse.transactions (transaction_id, user_pseudonym, amount, currency,"
            + " created_at, key_version, source_version, source_stream, source_sequence,"
            + " ingested_at) VALUES ('earlier-run', 'p', 1, 'EUR', '2025-01-01Z', 'v1',"
            + " '2025-01-01Z', 'arn:earlier', 1, now() - interval '1 day')");
    db.execute(
        "INSERT INTO etl.quarantine (event_id, sequence_number, event_source_arn, error_code,"
            + " message, quarantined_at) VALUES ('e', '1', 'arn:earlier', 'INVALID_VALUE', 'm',"
            + " now() - interval '1 day')");
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?");
    Result result =
        run(
            "--jdbc-url",
            url + "user=" + db.adminUser(),
            "--db-password-file",
            passwordFile(db.adminPassword()).toString(),
            "--items",
            "30",
            "--updates",
            "0",
            "--deletes",
            "0");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines().reduce((a, b) -> b).orElseThrow())
        .as("30 transactions and the profiles of their 3 users")
        .startsWith("SUMMARY source_items=33 warehouse_rows=33 quarantined=0 pii_leaks=0 ")
        .endsWith(" tables=2");
  }

  private Path passwordFile(String password) {
    try {
      return java.nio.file.Files.writeString(stateDir.resolve("pw"), password + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void exitsThreeWhenTheDatabaseIsUnreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free, and nothing listens once closed
    }
    Result result =
        run("--jdbc-url", "jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=" + CANARY);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr())
        .isEqualTo(
            "run-local.sh: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:"
                + port
                + "/x?user=u&password=*** (SQLSTATE 08001): is it running, and are host and port"
                + " right?"
                + System.lineSeparator());
  }

  @Test
  void exitsThreeWhenTheLoginIsRefused() throws IOException {
    TestWarehouse db = TestWarehouse.shared();
    Path passwordFile = Files.writeString(stateDir.resolve("pw"), CANARY + "\n");
    Result result =
        run(
            "--jdbc-url",
            db.jdbcUrl(),
            "--db-user",
            TestWarehouse.READER_USER,
            "--db-password-file",
            passwordFile.toString());
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
    assertThat(result.stderr().lines()).hasSize(1);
    assertThat(result.stderr())
        .contains("refused the login of user " + TestWarehouse.READER_USER)
        .contains("check --db-user and the password (--db-password-file or PGPASSWORD)")
        .doesNotContain(CANARY)
        .doesNotContain("\tat ");
  }
}
