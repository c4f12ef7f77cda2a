package dev.ddbwarehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ddbwarehouse.cli.ExitCode;
import dev.ddbwarehouse.cli.JdbcUrl;
import dev.ddbwarehouse.local.pipeline.HmacSecretFile;
import dev.ddbwarehouse.testsupport.TestWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every routine mistake with invoke-local is one line on stderr naming what is wrong, no stack
 * trace, and an exit code an operator's script can tell apart; a batch the handler hands back for
 * retry is not a success.
 */
class InvokeLocalErrorsIT {

  private static final String TOOL = "invoke-local.sh";
  private static final String SECRET = "s3cret-never-printed";

  /** One INSERT in the exact shape Lambda delivers (NEW_IMAGE stream view). */
  static final String EVENT =
      """
      {"Records": [{
        "eventID": "c4ca4238a0b923820dcc509a6f75849b",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "dynamodb": {
          "ApproximateCreationDateTime": 1767225600,
          "Keys": {"transactionId": {"S": "invoke-local-errors-1"}},
          "NewImage": {
            "transactionId": {"S": "invoke-local-errors-1"},
            "userId": {"S": "user-1"},
            "amount": {"N": "12.50"},
            "currency": {"S": "EUR"},
            "createdAt": {"S": "2026-01-01T00:00:00Z"}
          },
          "SequenceNumber": "4100000000000000000001",
          "SizeBytes": 120,
          "StreamViewType": "NEW_IMAGE"
        },
        "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/transactions/stream/2026-01-01T00:00:00.000"
      }]}
      """;

  private static TestWarehouse warehouse;
  private static Path keyFile;

  @TempDir Path dir;

  @TempDir static Path keyDir;

  @BeforeAll
  static void start() throws IOException {
    warehouse = TestWarehouse.shared();
    keyFile = keyDir.resolve("hmac-secret.json");
    HmacSecretFile.generate(keyFile);
  }

  private static CliRun invoke(String... args) {
    return CliRun.of(InvokeLocal::run, args);
  }

  /**
   * --event FILE, --hmac-secret-file, the shared database as the given login, then {@code more}.
   */
  private static CliRun invoke(
      Path event, String url, String user, String password, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--event", event.toString(),
                "--jdbc-url", url,
                "--db-user", user,
                "--db-password", password,
                "--hmac-secret-file", keyFile.toString()));
    args.addAll(List.of(more));
    return invoke(args.toArray(String[]::new));
  }

  private static CliRun asWriter(Path event, String... more) {
    return invoke(
        event, warehouse.jdbcUrl(), TestWarehouse.WRITER_USER, TestWarehouse.TEST_PASSWORD, more);
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private Path event() throws IOException {
    return file("event.json", EVENT);
  }

  /** The shared database's URL with another database name. */
  private static String otherDatabase(String name) {
    String url = warehouse.jdbcUrl();
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.substring(0, base.lastIndexOf('/') + 1) + name;
  }

  @Test
  void exitsZeroAndPrintsTheResponseLastWhenTheBatchCommits() throws IOException {
    warehouse.truncateAll();

    CliRun run = asWriter(event());

    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(ExitCode.OK);
    assertThat(run.lastLine()).isEqualTo("{\"batchItemFailures\":[]}");
  }

  @Test
  void exitsOneAndStillPrintsTheResponseWhenTheHandlerReportsTheBatchForRetry() throws IOException {
    // A reader login connects but may not write: the handler hands the batch back for retry.
    CliRun run =
        invoke(
            event(), warehouse.jdbcUrl(), TestWarehouse.READER_USER, TestWarehouse.TEST_PASSWORD);

    run.endsWithError(
        ExitCode.FOUND,
        TOOL,
        "the handler reported the batch for retry from sequence number 4100000000000000000001"
            + " (the batch log above says why)");
    assertThat(run.lastLine())
        .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"4100000000000000000001\"}]}");
    assertThat(run.stderr())
        .as("the batch log line says it was rolled back")
        .anyMatch(line -> line.startsWith("batch: ") && line.contains("rolled back"));
  }

  @Test
  void reportsTheBatchForRetryWithinTheTimeoutWhenItsRowIsLocked() throws Exception {
    warehouse.truncateAll();
    assertThat(asWriter(event()).exitCode()).isEqualTo(ExitCode.OK);

    try (Connection locker = warehouse.adminConnection();
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.executeQuery(
              "SELECT 1 FROM warehouse.transactions"
                  + " WHERE transaction_id = 'invoke-local-errors-1' FOR UPDATE")
          .close();
      long start = System.nanoTime();

      CliRun run =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> asWriter(event(), "--timeout", "3"));

      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(ExitCode.FOUND);
      assertThat(run.lastLine())
          .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"4100000000000000000001\"}]}");
      assertThat(elapsed).as("a bound, not a benchmark").isLessThan(Duration.ofSeconds(3 + 3));
      locker.rollback();
    }
  }

  @Test
  void printsOneLineWhenTheTimeoutIsOutOfRange() throws IOException {
    asWriter(event(), "--timeout", "0")
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--timeout must be from 1 to 900 seconds (Lambda's limits), was 0");
  }

  @Test
  void printsOneLineWhenTheEventFileIsMissing() {
    Path missing = dir.resolve("missing.json");

    asWriter(missing)
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--event "
                + missing
                + ": no such file (expected a Lambda DynamoDB stream event JSON file)");
  }

  @Test
  void printsOneLineWhenTheHmacSecretFileIsMissing() throws IOException {
    Path missing = dir.resolve("no-key.json");

    invoke(
            "--event", event().toString(),
            "--jdbc-url", warehouse.jdbcUrl(),
            "--db-user", TestWarehouse.WRITER_USER,
            "--hmac-secret-file", missing.toString())
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--hmac-secret-file "
                + missing
                + ": no such file (expected a key file {\"active\":...})");
  }

  @Test
  void printsOneLineWhenTheMappingFileIsMissing() throws IOException {
    Path missing = dir.resolve("no-mapping.json");

    asWriter(event(), "--mapping", missing.toString())
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--mapping " + missing + ": no such file (expected a mapping document)");
  }

  @Test
  void namesTheFlagWhenTheHandlerConfigurationIsInvalid() throws IOException {
    asWriter(event(), "--ttl-deletes", "kepe")
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "the handler could not run: --ttl-deletes: must be \"ignore\" or \"soft-delete\","
                + " was \"kepe\"");
  }

  @Test
  void exitsThreeWithoutAStackTraceWhenTheHostIsUnreachable() throws IOException {
    int port = CliRun.closedPort();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/warehouse?user=etl&password=" + SECRET;

    CliRun run =
        invoke(
            "--event",
            event().toString(),
            "--jdbc-url",
            url,
            "--hmac-secret-file",
            keyFile.toString());

    run.failsWithOneLine(
        ExitCode.UNREACHABLE,
        TOOL,
        "cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:"
            + port
            + "/warehouse?user=etl&password=***: connection refused (SQLSTATE 08001):"
            + " is it running, and are host and port in --jdbc-url right?");
    assertThat(String.join("\n", run.stderr()) + run.stdout()).doesNotContain(SECRET);
  }

  @Test
  void migrateAgainstAnUnreachableHostIsOneLineToo() throws IOException {
    int port = CliRun.closedPort();

    CliRun run =
        invoke(
            event(),
            "jdbc:postgresql://127.0.0.1:" + port + "/warehouse",
            "etl",
            SECRET,
            "--migrate");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(run.stderr())
        .singleElement()
        .asString()
        .startsWith(TOOL + ": cannot reach PostgreSQL");
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine() throws IOException {
    int port = CliRun.closedPort();

    CliRun run =
        invoke(
            event(),
            "jdbc:postgresql://127.0.0.1:" + port + "/warehouse",
            "etl",
            SECRET,
            "--verbose");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(run.stderr().get(0)).startsWith(TOOL + ": cannot reach PostgreSQL");
    assertThat(run.stderr()).anyMatch(line -> line.startsWith("\tat "));
    assertThat(String.join("\n", run.stderr())).doesNotContain(SECRET);
  }

  @Test
  void exitsThreeWhenTheDatabaseRefusesThePassword() throws IOException {
    CliRun run = invoke(event(), warehouse.jdbcUrl(), TestWarehouse.WRITER_USER, SECRET);

    run.failsWithOneLine(
        ExitCode.UNREACHABLE,
        TOOL,
        "PostgreSQL at "
            + JdbcUrl.masked(warehouse.jdbcUrl())
            + " refused the login of user \""
            + TestWarehouse.WRITER_USER
            + "\" (SQLSTATE 28P01): check --db-user and --db-password (or PGPASSWORD)");
    assertThat(String.join("\n", run.stderr())).doesNotContain(SECRET);
  }

  @Test
  void exitsThreeWhenTheDatabaseDoesNotExist() throws IOException {
    String url = otherDatabase("no_such_warehouse");

    invoke(event(), url, TestWarehouse.WRITER_USER, TestWarehouse.TEST_PASSWORD)
        .failsWithOneLine(
            ExitCode.UNREACHABLE,
            TOOL,
            "database \"no_such_warehouse\" does not exist on PostgreSQL at "
                + url
                + " (SQLSTATE 3D000): check the database name in --jdbc-url");
  }

  @Test
  void exitsTwoForANonPostgresJdbcUrlWithoutPrintingItsPassword() throws IOException {
    CliRun run =
        invoke(event(), "jdbc:mysql://localhost:3306/warehouse?password=" + SECRET, "etl", SECRET);

    run.failsWithOneLine(
        ExitCode.USAGE,
        TOOL,
        "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE),"
            + " not jdbc:mysql");
  }

  private void rejectsEvent(String content, String reason) throws IOException {
    Path event = file("not-an-event.json", content);

    asWriter(event)
        .failsWithOneLine(
            ExitCode.USAGE,
            TOOL,
            "--event " + event + " is not a Lambda DynamoDB stream event: " + reason);
  }

  @Test
  void rejectsAnEmptyObjectAsEvent() throws IOException {
    rejectsEvent("{}", "no \"Records\" array");
  }

  @Test
  void rejectsAMappingDocumentAsEventAndSaysWhereItBelongs() throws IOException {
    rejectsEvent(
        "{\"attributes\": {\"email\": {\"treatment\": \"drop\"}}}",
        "no \"Records\" array (this looks like a mapping document: pass it with --mapping)");
  }

  @Test
  void rejectsRecordsThatAreNotAnArray() throws IOException {
    rejectsEvent(
        "{\"Records\": {\"eventSource\": \"aws:dynamodb\"}}", "\"Records\" is not an array");
  }

  @Test
  void rejectsAnEmptyBatch() throws IOException {
    rejectsEvent(
        "{\"Records\": []}", "\"Records\" is empty (Lambda never invokes with an empty batch)");
  }

  @Test
  void rejectsRecordsFromAnotherEventSource() throws IOException {
    rejectsEvent(
        EVENT.replace("aws:dynamodb", "aws:kinesis"),
        "Records[0] has no \"eventSource\": \"aws:dynamodb\" (not a DynamoDB stream record)");
  }

  @Test
  void rejectsRecordsWithoutADynamodbMember() throws IOException {
    rejectsEvent(
        "{\"Records\": [{\"eventSource\": \"aws:dynamodb\", \"eventName\": \"INSERT\"}]}",
        "Records[0] has no \"dynamodb\" object");
  }

  @Test
  void namesLineAndColumnOfAJsonSyntaxError() throws IOException {
    // Line 3's third '}' (column 19) closes an object where the Records array's ']' belongs.
    rejectsEvent(
        "{\"Records\": [\n  {\"eventSource\": \"aws:dynamodb\",\n   \"dynamodb\": {}}}\n",
        "not valid JSON at line 3, column 19");
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    rejectsEvent("", "the file is empty");
  }

  @Test
  void printsTheVersion() {
    invoke("--version").printedTheVersionOf("invoke-local.sh");
  }

  @Test
  void helpListsEveryOptionAndTheExitCodesWithinOneHundredTwentyColumns() {
    invoke("--help")
        .printedHelpWith(
            "--event=FILE",
            "--jdbc-url=URL",
            "--db-user=USER",
            "--db-password=PASSWORD",
            "--hmac-secret-file=FILE",
            "--mapping=FILE",
            "--ttl-deletes=MODE",
            "--migrate",
            "--verbose",
            "--version",
            "jdbc:postgresql://localhost:5432/warehouse",
            ".local/hmac-secret.json",
            "Exit codes:");
  }
}
